using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Infra.Observability.Reports;

/// <summary>The report's three forms: Markdown, HTML with the charts embedded, and JSON.</summary>
public static class SlaReportRenderer
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The report as Markdown: one table per SLO, then the worst windows.</summary>
    public static string Markdown(SlaReportData report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# SLA report {Period(report)}{(report.Tenant is null ? string.Empty : $", tenant {report.Tenant}")}");
        foreach (var slo in report.Entries.GroupBy(static e => e.Slo))
        {
            var first = slo.First();
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {slo.Key} ({first.Service}, target {Percent(first.Target)})").AppendLine();
            text.AppendLine("| tenant | availability | met | error budget used | bad minutes | worst window |");
            text.AppendLine("| --- | ---: | --- | ---: | ---: | --- |");
            foreach (var entry in slo.OrderBy(static e => e.Availability).ThenBy(static e => e.Tenant, StringComparer.Ordinal))
            {
                var worst = entry.WorstWindows.Count > 0 ? Window(entry.WorstWindows[0]) : "none";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {entry.Tenant ?? "(service)"} | {Percent(entry.Availability)} | {(entry.Met ? "yes" : "**no**")} | {Percent(entry.BudgetUsed)} | {entry.BadMinutes} | {worst} |");
            }

            var worstOverall = slo.SelectMany(static e => e.WorstWindows.Select(w => (e.Tenant, w))).OrderByDescending(static x => x.w.BadEvents).Take(10).ToList();
            if (worstOverall.Count > 0)
            {
                text.AppendLine().AppendLine("Worst windows:").AppendLine();
                foreach (var (tenant, window) in worstOverall)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"- {tenant ?? "(service)"}: {Window(window)}, {window.BadEvents:0} of {window.TotalEvents:0} events bad");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The report as one HTML page, each SLO's chart embedded as inline SVG.</summary>
    public static string Html(SlaReportData report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        var title = WebUtility.HtmlEncode($"SLA report {Period(report)}{(report.Tenant is null ? string.Empty : $", tenant {report.Tenant}")}");
        html.AppendLine(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:first-child,th:first-child{text-align:left}.missed{color:#b00020;font-weight:bold}</style></head><body>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<h1>{title}</h1>");
        foreach (var slo in report.Entries.GroupBy(static e => e.Slo))
        {
            var first = slo.First();
            html.AppendLine(CultureInfo.InvariantCulture, $"<h2>{WebUtility.HtmlEncode(slo.Key)} ({WebUtility.HtmlEncode(first.Service)}, target {Percent(first.Target)})</h2>");
            html.AppendLine(CultureInfo.InvariantCulture, $"<figure>{SlaChart.Svg(report, slo.Key)}</figure>");
            html.AppendLine("<table><tr><th>tenant</th><th>availability</th><th>met</th><th>error budget used</th><th>bad minutes</th><th>worst window</th></tr>");
            foreach (var entry in slo.OrderBy(static e => e.Availability).ThenBy(static e => e.Tenant, StringComparer.Ordinal))
            {
                var worst = entry.WorstWindows.Count > 0 ? Window(entry.WorstWindows[0]) : "none";
                html.AppendLine(CultureInfo.InvariantCulture,
                    $"<tr><td>{WebUtility.HtmlEncode(entry.Tenant ?? "(service)")}</td><td>{Percent(entry.Availability)}</td><td{(entry.Met ? ">yes" : " class=\"missed\">no")}</td><td>{Percent(entry.BudgetUsed)}</td><td>{entry.BadMinutes}</td><td>{WebUtility.HtmlEncode(worst)}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        return html.AppendLine("</body></html>").ToString();
    }

    /// <summary>The report as JSON: the period and every entry with its figures, windows and days.</summary>
    public static string Json(SlaReportData report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(new
        {
            start = report.Start,
            end = report.End,
            tenant = report.Tenant,
            entries = report.Entries.Select(static e => new
            {
                slo = e.Slo,
                service = e.Service,
                tenant = e.Tenant,
                target = e.Target,
                availability = e.Availability,
                met = e.Met,
                errorBudgetUsed = e.BudgetUsed,
                badMinutes = e.BadMinutes,
                goodEvents = e.GoodEvents,
                totalEvents = e.TotalEvents,
                worstWindows = e.WorstWindows.Select(static w => new { start = w.Start, end = w.End, minutes = w.Minutes, badEvents = w.BadEvents, totalEvents = w.TotalEvents }),
                days = e.Days.Select(static d => new { day = d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), availability = d.Availability, budgetRemaining = d.BudgetRemaining }),
            }),
        }, s_json);
    }

    private static string Period(SlaReportData report) =>
        report.Start.Day == 1 && report.End == report.Start.AddMonths(1) && report.Start.TimeOfDay == TimeSpan.Zero
            ? report.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : $"{report.Start:yyyy-MM-dd HH:mm} to {report.End:yyyy-MM-dd HH:mm} UTC";

    private static string Window(SlaWindow window) =>
        window.End.Date == window.Start.Date
            ? string.Create(CultureInfo.InvariantCulture, $"{window.Start:yyyy-MM-dd HH:mm}–{window.End:HH:mm} UTC ({window.Minutes} min)")
            : string.Create(CultureInfo.InvariantCulture, $"{window.Start:yyyy-MM-dd HH:mm}–{window.End:yyyy-MM-dd HH:mm} UTC ({window.Minutes} min)");

    private static string Percent(double ratio) => double.IsFinite(ratio) ? (ratio * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%" : "n/a";
}
