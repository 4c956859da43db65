using Infra.Observability.Reports;
using Infra.Observability.Slo;
using Infra.Observability.Tests.Support;
using Infra.TestSupport;

namespace Infra.Observability.Tests;

/// <summary>Issue 11 §4: <c>./infra sla report</c> is the component's report over the real, backfilled Prometheus.</summary>
[Collection(MonitoringCollection.Name)]
public class SlaReportCommandTests(MonitoringStack stack)
{
    private static readonly Dictionary<string, string?> s_environment = [];

    [Fact]
    public async Task Sla_report_prints_the_months_report_as_json_html_and_markdown_for_all_tenants_or_one()
    {
        var month = stack.Month;
        var monthText = month.Start.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var expected = SlaReportRenderer.Json(await new SlaReport(stack.Prometheus).CreateAsync(PlatformSlos.All, month.Start, month.End));
        var tenant = month.Tenants[0];
        string[] common = ["sla", "report", "--month", monthText, "--prometheus", stack.PrometheusUrl.ToString()];

        var json = await CliRunner.RunAsync(RepositoryPaths.Root, s_environment, [.. common, "--format", "json"]);
        var html = await CliRunner.RunAsync(RepositoryPaths.Root, s_environment, [.. common, "--format", "html", "--tenant", tenant]);
        var markdown = await CliRunner.RunAsync(RepositoryPaths.Root, s_environment, [.. common, "--tenant", tenant]);

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(expected, json.Stdout);
        Assert.True(html.ExitCode == 0, html.ToString());
        Assert.Contains("<svg", html.Stdout, StringComparison.Ordinal);
        Assert.Contains(tenant, html.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(month.Tenants[1], markdown.Stdout, StringComparison.Ordinal);
        Assert.Contains(tenant, markdown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sla_report_against_no_prometheus_is_one_line_naming_the_url_and_the_flag()
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Root, s_environment, "sla", "report", "--month", "2025-06", "--prometheus", "http://127.0.0.1:9");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Prometheus at http://127.0.0.1:9/", line, StringComparison.Ordinal);
        Assert.Contains("--prometheus", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sla_report_refuses_a_month_that_is_not_yyyy_mm()
    {
        var result = await CliRunner.RunAsync(RepositoryPaths.Root, s_environment, "sla", "report", "--month", "June");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--month must be a month like 2026-10, got 'June'", result.Stderr, StringComparison.Ordinal);
    }
}
