using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Issue 11 §3: ./infra exports the engine's spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
[Collection(CliCollection.Name)]
public sealed class TracingTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Up_exports_one_trace_with_a_span_per_resource_step_under_the_operation_span()
    {
        await _project.RunOkAsync("stack", "init", "dev");
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await _project.RunOkAsync("config", "set", "synthetic:count", "3");
        using var receiver = new OtlpReceiver();
        _project.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
        _project.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";

        await _project.RunOkAsync("up", "--yes");
        await _project.RunOkAsync("preview");

        var spans = receiver.Spans;
        var operations = spans.Where(static s => s.ParentSpanId.Length == 0).ToList();
        Assert.Equal(new[] { "infra update", "infra preview" }, operations.Select(static s => s.Name));
        Assert.NotEqual(operations[0].TraceId, operations[1].TraceId);
        var update = operations[0];
        var steps = spans.Where(s => s.TraceId == update.TraceId && s != update).ToList();
        Assert.All(steps, step => Assert.Equal(update.SpanId, step.ParentSpanId));
        var created = steps.Where(static s => s.Name.StartsWith("create ", StringComparison.Ordinal)).Select(static s => s.Attributes["infra.urn"]).Distinct().ToList();
        Assert.Equal(3, created.Count);
        Assert.Equal("dev", update.Attributes["infra.stack"]);
    }
}
