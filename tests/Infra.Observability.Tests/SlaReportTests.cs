using System.Text.Json;
using Infra.Observability.Reports;
using Infra.Observability.Slo;
using Infra.Observability.Tests.Support;

namespace Infra.Observability.Tests;

[Collection(MonitoringCollection.Name)]
public class SlaReportTests(MonitoringStack stack)
{
    [Fact]
    public async Task The_report_equals_the_known_outages_of_a_backfilled_month_to_the_minute_across_restarts_and_short_lived_instances()
    {
        var month = stack.Month;
        // Some applications restart inside an outage and in quiet hours (their counters fall back to zero), and some
        // run a second instance that lives between two hours' ends.
        Assert.Contains(month.Tenants, t => month.Restarts[t].Any(r => month.Outages[t].Any(o => o.First <= r && r < o.First + o.Length)));
        Assert.Contains(month.Tenants, t => month.Extra[t] is not null);

        var report = await new SlaReport(stack.Prometheus).CreateAsync([PlatformSlos.TenantAppAvailability], month.Start, month.End);

        Assert.Equal(month.Tenants, report.Entries.Select(static e => e.Tenant!).Order(StringComparer.Ordinal));
        foreach (var entry in report.Entries)
        {
            var outages = month.Outages[entry.Tenant!];
            var (requests, failed) = (month.Requests(entry.Tenant!), month.FailedRequests(entry.Tenant!));
            Assert.Equal(outages.Sum(static o => o.Length), entry.BadMinutes);
            Assert.Equal(requests, entry.TotalEvents, 6);
            Assert.Equal(1 - (failed / requests), entry.Availability, 9);
            Assert.Equal(failed / requests / (1 - PlatformSlos.TenantAppAvailability.Target), entry.BudgetUsed, 6);
            var expected = outages.OrderByDescending(static o => o.Length).ThenBy(static o => o.First)
                .Select(o => (month.Start.AddMinutes(o.First), month.Start.AddMinutes(o.First + o.Length))).ToList();
            Assert.Equal(expected, entry.WorstWindows.Select(static w => (w.Start, w.End)));
            Assert.Equal(30, entry.Days.Count);
            Assert.Equal(1 - (entry.BudgetUsed), entry.Days[^1].BudgetRemaining, 6);
        }

        Assert.Contains(report.Entries, static e => !e.Met);
        Assert.Contains(report.Entries, static e => e.BadMinutes == 0 && e.Met);
    }

    [Fact]
    public async Task A_latency_slo_whose_good_events_are_another_metric_equals_the_known_slow_minutes()
    {
        var month = stack.Month;

        var report = await new SlaReport(stack.Prometheus).CreateAsync([PlatformSlos.TenantAppLatency], month.Start, month.End);

        // Failed requests time out: outage minutes are the slow ones, and every other request is fast.
        Assert.Equal(month.Tenants, report.Entries.Select(static e => e.Tenant!).Order(StringComparer.Ordinal));
        foreach (var entry in report.Entries)
        {
            var (requests, failed) = (month.Requests(entry.Tenant!), month.FailedRequests(entry.Tenant!));
            Assert.Equal(requests, entry.TotalEvents, 6);
            Assert.Equal(requests - failed, entry.GoodEvents, 6);
            Assert.Equal(month.Outages[entry.Tenant!].Sum(static o => o.Length), entry.BadMinutes);
        }
    }

    [Fact]
    public async Task The_report_for_one_tenant_renders_as_markdown_html_with_its_chart_and_json()
    {
        var month = stack.Month;
        var tenant = month.Tenants.First(t => month.Outages[t].Count > 0);
        var (first, length) = month.Outages[tenant].OrderByDescending(static o => o.Length).First();

        var report = await new SlaReport(stack.Prometheus).CreateAsync(PlatformSlos.All, month.Start, month.End, tenant);

        // Only the per-tenant SLOs, only this tenant.
        Assert.All(report.Entries, e => Assert.Equal(tenant, e.Tenant));
        Assert.Equal(["tenant-app-availability", "tenant-app-latency"], report.Entries.Select(static e => e.Slo));
        var entry = report.Entries[0];
        var markdown = SlaReportRenderer.Markdown(report);
        var start = month.Start.AddMinutes(first);
        Assert.Contains($"{start:yyyy-MM-dd HH:mm}–{start.AddMinutes(length):HH:mm} UTC ({length} min)", markdown, StringComparison.Ordinal);
        Assert.Contains("# SLA report 2025-06, tenant " + tenant, markdown, StringComparison.Ordinal);
        var html = SlaReportRenderer.Html(report);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("tenant-app-availability", html, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(SlaReportRenderer.Json(report));
        var parsed = json.RootElement.GetProperty("entries")[0];
        Assert.Equal(entry.BadMinutes, parsed.GetProperty("badMinutes").GetInt32());
        Assert.Equal(length, parsed.GetProperty("worstWindows")[0].GetProperty("minutes").GetInt32());
    }

    [Fact]
    public async Task A_query_prometheus_refuses_is_one_line_that_names_it()
    {
        var exception = await Assert.ThrowsAsync<PrometheusException>(() => stack.Prometheus.QueryAsync("sum(rate(x[5m]"));

        Assert.Contains("sum(rate(x[5m]", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', exception.Message);
    }
}
