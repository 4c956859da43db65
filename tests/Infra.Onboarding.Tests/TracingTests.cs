using System.Diagnostics;
using Infra.Onboarding.Telemetry;
using Infra.Onboarding.Tests.Support;

namespace Infra.Onboarding.Tests;

[Collection(OnboardingCollection.Name)]
public class TracingTests(ServiceFactory service)
{
    [Fact]
    public async Task The_operations_span_links_to_the_request_that_queued_it_and_holds_the_engines_operation_and_step_spans()
    {
        using var client = service.ClientFor("operator", "tracing");
        var id = OnboardingSetup.NewTenantId("trc");
        var caller = ActivityContext.Parse($"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01", null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/tenants")
        {
            Content = new StringContent($$"""{"id":"{{id}}","plan":"free","displayName":"Traced"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{caller.TraceId}-{caller.SpanId}-01");
        await (await client.SendAsync(request)).OperationIdAsync();
        await client.WaitForAsync(id, "ready");

        var requestSpan = Assert.Single(service.Activities, a => a.Kind == ActivityKind.Server && a.ParentSpanId == caller.SpanId);
        Assert.Equal(caller.TraceId, requestSpan.TraceId);
        // The tenant reads ready as soon as the job commits it; the job's span ends a moment later (after the audit
        // row), so it is waited for.
        bool IsJob(Activity a) => a.Source.Name == OnboardingTelemetry.SourceName && Equals(a.GetTagItem("tenant.id"), id);
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10); !service.Activities.Any(IsJob) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
        }

        var job = Assert.Single(service.Activities, IsJob);
        Assert.Equal("tenant.create", job.DisplayName);
        var link = Assert.Single(job.Links);
        Assert.Equal(requestSpan.TraceId, link.Context.TraceId);
        Assert.Equal(requestSpan.SpanId, link.Context.SpanId);

        var engine = service.Activities.Where(a => a.Source.Name == OnboardingTelemetry.EngineSourceName && a.TraceId == job.TraceId).ToList();
        var operation = Assert.Single(engine, a => a.DisplayName == "infra update");
        Assert.Equal(job.SpanId, operation.ParentSpanId);
        var steps = engine.Where(a => a.ParentSpanId == operation.SpanId).ToList();
        Assert.True(steps.Count >= 5, $"expected a span per resource step under the up, found {steps.Count}");
    }
}
