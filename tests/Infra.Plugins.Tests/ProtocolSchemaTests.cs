using System.Text.Json;
using Infra.Plugins.Conformance;
using Infra.Plugins.Protocol;

namespace Infra.Plugins.Tests;

[Collection(PluginExamplesCollection.Name)]
public sealed class ProtocolSchemaTests
{
    [Fact]
    public async Task Every_message_of_real_runs_of_each_sdk_example_matches_the_published_schemas()
    {
        var log = Path.Combine(Directory.CreateTempSubdirectory("plugin-messages-").FullName, "messages.jsonl");
        var options = new ConformanceOptions { Build = false, Concurrency = 4, Launcher = new TestPlugins.RecordingLauncher(log) };
        foreach (var example in new[] { TestPlugins.Dns, TestPlugins.KvStore, TestPlugins.TenantAllowList })
        {
            Assert.True((await PluginConformance.RunAsync(example, options, CancellationToken.None)).Passed);
        }

        var checkedByMethod = Validate(File.ReadAllLines(log), out var problems);

        Assert.Empty(problems);
        foreach (var method in new[] { "handshake", "getSchema", "configure", "check", "create", "read", "diff", "update", "delete", "describe", "validateResource", "validateStack", "batch" })
        {
            Assert.True(checkedByMethod.GetValueOrDefault(method) > 0, $"no '{method}' message was captured");
        }
    }

    [Theory]
    [InlineData("create.result.json", """{"outputs": {}}""")]
    [InlineData("batch.params.json", """{"calls": [{"method": "configure", "params": {}}]}""")]
    [InlineData("batch.params.json", """{"calls": [{"method": "check", "params": {"urn": "urn:pulumi:s::p::t:index:T::n", "type": "t:index:T", "oldInputs": null, "newInputs": "not a bag"}}]}""")]
    [InlineData("batch.result.json", """{"results": [{"result": null, "error": {"code": 1001, "message": "exists"}}]}""")]
    [InlineData("check.params.json", """{"urn": "urn:pulumi:s::p::t:index:T::n", "type": "t:index:T", "oldInputs": null, "newInputs": "not a bag"}""")]
    [InlineData("read.result.json", """{"status": "gone", "id": null, "inputs": {}, "outputs": {}}""")]
    [InlineData("create.result.json", """{"id": "x", "outputs": {"$unknown": true}}""")]
    [InlineData("error.json", """{"code": 1000, "message": "the inputs are invalid"}""")]
    [InlineData("describe.result.json", """{"name": "Bad Name", "version": "1", "description": "", "policies": [], "config": []}""")]
    public void A_message_that_breaks_the_protocol_fails_its_schema(string schema, string message)
    {
        using var document = JsonDocument.Parse(message);

        Assert.NotEmpty(ProtocolSchemas.Instance.Problems(schema, document.RootElement));
    }

    [Fact]
    public void Every_method_of_the_protocol_has_a_schema_for_its_params_and_result()
    {
        var methods = typeof(PluginProtocol).GetFields().Where(static f => f.IsLiteral && f.Name is not (nameof(PluginProtocol.Version) or nameof(PluginProtocol.ProviderCapability) or nameof(PluginProtocol.PolicyCapability) or nameof(PluginProtocol.BatchCapability) or nameof(PluginProtocol.PreviewCapability)))
            .Select(static f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(14, methods.Count);
        foreach (var method in methods)
        {
            Assert.Contains($"{method}.params.json", ProtocolSchemas.Instance.Names);
            Assert.Contains($"{method}.result.json", ProtocolSchemas.Instance.Names);
        }
    }

    /// <summary>Checks each recorded line against message.json and its method's schema; returns how many messages each method had.</summary>
    private static Dictionary<string, int> Validate(IEnumerable<string> recorded, out List<string> problems)
    {
        var schemas = ProtocolSchemas.Instance;
        var methodOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var batchMethodsOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var entries = recorded.Select(static l => JsonDocument.Parse(l).RootElement).Select(static e => (Process: e.GetProperty("process").GetInt32(), From: e.GetProperty("from").GetString()!, Line: e.GetProperty("line").GetString()!)).ToList();
        // Requests the suite sends broken on purpose (error shapes) are answered with invalid params or method not found: leave those out.
        var deliberate = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (process, _, line) in entries.Where(static e => e.From == "plugin"))
        {
            using var answer = JsonDocument.Parse(line);
            if ((answer.RootElement.TryGetProperty("error", out var error) && error.GetProperty("code").GetInt32() is PluginErrorCodes.InvalidParams or PluginErrorCodes.MethodNotFound or PluginErrorCodes.ProtocolMismatch) ||
                BatchErrorCodes(answer.RootElement).Any(static c => c is PluginErrorCodes.InvalidParams or PluginErrorCodes.MethodNotFound))
            {
                deliberate.Add($"{process}/{answer.RootElement.GetProperty("id")}");
            }
        }

        problems = [];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (process, from, line) in entries)
        {
            using var document = JsonDocument.Parse(line);
            var message = document.RootElement;
            // Request IDs are per connection: qualify them with the process that carried them.
            var id = message.TryGetProperty("id", out var idElement) ? $"{process}/{idElement}" : null;
            string schema;
            if (message.TryGetProperty("method", out var method))
            {
                var name = method.GetString()!;
                if (id is not null)
                {
                    methodOf[id] = name;
                    if (name == "batch" && message.TryGetProperty("params", out var batch) && batch.TryGetProperty("calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                    {
                        batchMethodsOf[id] = [.. calls.EnumerateArray().Select(static c => c.TryGetProperty("method", out var m) ? m.GetString() ?? "" : "")];
                    }
                }

                if (id is not null && deliberate.Contains(id))
                {
                    continue;
                }

                schema = name == "$/cancelRequest" ? "cancelRequest.params.json" : $"{name}.params.json";
                Check(schemas, problems, $"{from} {name} params", "message.json", message);
                Check(schemas, problems, $"{from} {name} params", schema, message.TryGetProperty("params", out var p) ? p : default);
                counts[name] = counts.GetValueOrDefault(name) + 1;
                continue;
            }

            Check(schemas, problems, $"{from} answer", "message.json", message);
            if (message.TryGetProperty("error", out var error))
            {
                Check(schemas, problems, $"{from} error", "error.json", error);
            }
            else if (id is not null && methodOf.TryGetValue(id, out var answered))
            {
                Check(schemas, problems, $"{from} {answered} result", $"{answered}.result.json", message.GetProperty("result"));
                if (batchMethodsOf.TryGetValue(id, out var itemMethods) && message.GetProperty("result").TryGetProperty("results", out var results))
                {
                    // Each item's result is its method's result, as if the call had gone alone.
                    foreach (var (item, itemMethod) in results.EnumerateArray().Zip(itemMethods))
                    {
                        if (item.TryGetProperty("result", out var itemResult))
                        {
                            Check(schemas, problems, $"{from} batch item {itemMethod} result", $"{itemMethod}.result.json", itemResult);
                            counts[$"batch/{itemMethod}"] = counts.GetValueOrDefault($"batch/{itemMethod}") + 1;
                        }
                    }
                }
            }
        }

        return counts;
    }

    /// <summary>The error codes of a batch answer's items; none for any other message.</summary>
    private static IEnumerable<int> BatchErrorCodes(JsonElement answer) =>
        answer.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().Where(static r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("error", out _)).Select(static r => r.GetProperty("error").GetProperty("code").GetInt32())
            : [];

    private static void Check(ProtocolSchemas schemas, List<string> problems, string what, string schema, JsonElement element)
    {
        foreach (var problem in schemas.Problems(schema, element.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("null").RootElement : element))
        {
            problems.Add($"{what} vs {schema}: {problem}: {element.GetRawText()}");
        }
    }
}
