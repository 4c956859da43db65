using ScottPlot;

namespace Infra.Observability.Reports;

/// <summary>
/// The SLA chart of one SLO, drawn by ScottPlot as SVG: availability day by day (left axis) against the target, and
/// the error budget left (right axis). When the report covers many tenants, their events are pooled per day.
/// </summary>
public static class SlaChart
{
    /// <summary>The chart of the entries of SLO <paramref name="slo"/> as SVG text.</summary>
    public static string Svg(SlaReportData report, string slo, int width = 800, int height = 360)
    {
        ArgumentNullException.ThrowIfNull(report);
        var entries = report.Entries.Where(e => e.Slo == slo).ToList();
        var days = entries.SelectMany(static e => e.Days.Select((d, i) => (d, i, e))).GroupBy(static x => x.i).OrderBy(static g => g.Key).ToList();
        var xs = days.Select(g => g.First().d.Day.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();

        // Pooled availability: good over total events of the day across entries; budget left: the mean of the entries'.
        var availability = days.Select(g =>
        {
            var total = g.Sum(static x => x.e.TotalEvents > 0 && double.IsFinite(x.d.Availability) ? x.e.TotalEvents : 0);
            return total > 0 ? g.Sum(static x => double.IsFinite(x.d.Availability) ? x.d.Availability * x.e.TotalEvents : 0) / total * 100 : double.NaN;
        }).ToArray();
        var budget = days.Select(static g => g.Average(static x => x.d.BudgetRemaining) * 100).ToArray();
        var target = entries.FirstOrDefault()?.Target ?? 0;

        var plot = new Plot();
        var line = plot.Add.Scatter(xs, availability);
        line.LegendText = "availability %";
        var goal = plot.Add.HorizontalLine(target * 100);
        goal.LegendText = $"target {target * 100:0.###}%";
        goal.LinePattern = LinePattern.Dashed;
        var left = plot.Add.Scatter(xs, budget);
        left.LegendText = "error budget left % (right axis)";
        left.Axes.YAxis = plot.Axes.Right;
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Left.Label.Text = "availability %";
        plot.Axes.Right.Label.Text = "error budget left %";
        plot.Title(report.Tenant is null ? $"{slo}: {entries.Count} series" : $"{slo}: tenant {report.Tenant}");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot.GetSvgXml(width, height);
    }
}
