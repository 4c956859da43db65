using System.Diagnostics;
using System.Globalization;
using Infra.Observability;
using Infra.Observability.Alerting;
using Infra.Observability.Reports;
using Infra.Observability.Slo;
using Infra.Observability.Tests.Support;
using Infra.Observability.Usage;
using Infra.TestSupport;

// sla report for 500 tenants over 30 days of 1-minute samples, from a real Prometheus whose history promtool
// backfilled, against a raw query_range of the same series (every good and failed counter, hourly) in the same run.
// The history is kept in /tmp between runs; delete the folder to build it again.
// bench [TENANTS] [--example FILE]: --example also writes the Markdown report of one tenant (docs/observability.md shows it).
var tenants = args.Length > 0 && !args[0].StartsWith('-') ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
var example = args.SkipWhile(static a => a != "--example").Skip(1).FirstOrDefault();
var directory = Path.Combine(Path.GetTempPath(), $"infra-bench-observability-{tenants}");
var month = new SyntheticMonth(2025, 6, tenants, seed: 7);
var marker = Path.Combine(directory, "backfilled");
if (!File.Exists(marker))
{
    if (Directory.Exists(directory))
    {
        Directory.Delete(directory, recursive: true);
    }

    var backfill = Stopwatch.StartNew();
    await month.BackfillAsync(Path.Combine(directory, "prometheus-data"), directory);
    Print("backfill_openmetrics", backfill.Elapsed.TotalSeconds, "s");
    await File.WriteAllTextAsync(marker, "ok");
}

MonitoringFiles.Write(directory, new PlatformMonitoringArgs
{
    Usage = new TenantUsageAlertsArgs { Plans = [] },
    Routing = new AlertRoutingArgs { Operators = new WebhookReceiver(new Uri("http://127.0.0.1:9/")) },
});
var script = Path.Combine(RepositoryPaths.Root, "scripts", "monitoring.sh");
var started = await Tools.RequireAsync("env", "INFRA_TEST_POSTGRES_URL=", "bash", script, "start", directory);
var url = started.Split('\n').First(static l => l.StartsWith("PROMETHEUS_URL=", StringComparison.Ordinal))["PROMETHEUS_URL=".Length..].Trim();
try
{
    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
    var prometheus = new PrometheusClient(new Uri(url), http);
    var slo = PlatformSlos.TenantAppAvailability;
    // Warm the page cache once for both, so neither pays the first read of the blocks.
    await prometheus.QueryRangeAsync(slo.Indicator.TotalSeries, month.Start, month.End, TimeSpan.FromHours(1));

    var raw = Stopwatch.StartNew();
    var series = await prometheus.QueryRangeAsync(slo.Indicator.TotalSeries, month.Start, month.End, TimeSpan.FromHours(1));
    var baseline = raw.Elapsed.TotalSeconds;

    var timer = Stopwatch.StartNew();
    var report = await new SlaReport(prometheus).CreateAsync([slo], month.Start, month.End);
    var read = timer.Elapsed.TotalSeconds;
    var markdown = SlaReportRenderer.Markdown(report);
    var html = SlaReportRenderer.Html(report);
    var json = SlaReportRenderer.Json(report);
    var elapsed = timer.Elapsed.TotalSeconds;

    var expectedBad = month.Outages.Values.Sum(static o => o.Sum(static x => x.Length));
    if (report.Entries.Count != tenants || report.Entries.Sum(static e => e.BadMinutes) != expectedBad || series.Count != 2 * tenants)
    {
        Console.Error.WriteLine($"bench: the report does not match the backfilled month ({report.Entries.Count} entries, {report.Entries.Sum(static e => e.BadMinutes)} bad minutes, expected {expectedBad}).");
        return 1;
    }

    Print($"sla_report_{tenants}_tenants_30d", elapsed, "s");
    Print("sla_report_read_prometheus", read, "s");
    Print("sla_report_render_md_html_json", elapsed - read, "s");
    Print("baseline_query_range_raw_series_30d_1h", baseline, "s");
    Print("sla_report_vs_baseline", elapsed / baseline, "x");
    Print("sla_report_output_bytes", markdown.Length + html.Length + json.Length, "bytes");
    Print("sla_report_target", 10, "s");
    if (example is not null)
    {
        var tenant = month.Tenants.First(t => month.Outages[t].Count > 1);
        var one = await new SlaReport(prometheus).CreateAsync(PlatformSlos.All, month.Start, month.End, tenant);
        await File.WriteAllTextAsync(example, SlaReportRenderer.Markdown(one));
    }

    return 0;
}
finally
{
    await Tools.RunAsync("bash", script, "stop", directory);
}

static void Print(string name, double value, string unit) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###} {unit}"));
