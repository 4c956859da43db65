using System.Globalization;
using Infra.Observability.Rules;

namespace Infra.Observability.Slo;

/// <summary>
/// The rules of one SLO, in one group <c>slo-&lt;name&gt;</c>:
/// <list type="bullet">
/// <item><description><c>slo:sli_error:ratio_rate&lt;w&gt;</c> for each window the burn-rate alerts read (5m to 3d),
/// and for the SLO's own window as the average of the 5-minute ratio;</description></item>
/// <item><description><c>slo:objective:ratio</c>, <c>slo:error_budget:ratio</c> and
/// <c>slo:error_budget:remaining_ratio</c> (1 is untouched, 0 is spent, below 0 is overspent);</description></item>
/// <item><description><c>&lt;Name&gt;ErrorBudgetBurnFast</c> (critical, a page) at 14.4× over 1 h and 5 m or 6× over
/// 6 h and 30 m, and <c>&lt;Name&gt;ErrorBudgetBurnSlow</c> (warning, a ticket) at 3× over 1 d and 2 h or 1× over
/// 3 d and 6 h.</description></item>
/// </list>
/// Every series carries the labels <c>slo</c> and <c>service</c>, and the SLO's <c>By</c> labels.
/// </summary>
public static class ServiceLevelObjectiveRules
{
    /// <summary>The error ratio series over a window, e.g. <c>slo:sli_error:ratio_rate5m</c>.</summary>
    public static string ErrorRatioSeries(TimeSpan window) => $"slo:sli_error:ratio_rate{PromDuration.Suffix(window)}";

    /// <summary>The objective, a constant per SLO.</summary>
    public const string ObjectiveSeries = "slo:objective:ratio";

    /// <summary>The error budget, <c>1 - objective</c>.</summary>
    public const string ErrorBudgetSeries = "slo:error_budget:ratio";

    /// <summary>The share of the window's error budget left.</summary>
    public const string RemainingBudgetSeries = "slo:error_budget:remaining_ratio";

    /// <summary>The page alert's name.</summary>
    public static string FastBurnAlert(ServiceLevelObjectiveArgs slo) => $"{Check(slo).PascalName}ErrorBudgetBurnFast";

    /// <summary>The ticket alert's name.</summary>
    public static string SlowBurnAlert(ServiceLevelObjectiveArgs slo) => $"{Check(slo).PascalName}ErrorBudgetBurnSlow";

    /// <summary>The SLO's rule group.</summary>
    public static RuleGroup For(ServiceLevelObjectiveArgs slo)
    {
        Check(slo);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["slo"] = slo.Name, ["service"] = slo.Service };
        var recordings = new List<RecordingRule>();
        foreach (var window in BurnRateWindow.AllWindows)
        {
            recordings.Add(new RecordingRule(ErrorRatioSeries(window), slo.Indicator.ErrorRatio(PromDuration.Format(window), slo.By), labels));
        }

        var shortest = Selector(ErrorRatioSeries(BurnRateWindow.AllWindows[0]), slo);
        recordings.Add(new RecordingRule(ErrorRatioSeries(slo.Window), $"avg_over_time({shortest}[{PromDuration.Format(slo.Window)}])", labels));
        recordings.Add(new RecordingRule(ObjectiveSeries, $"vector({Number(slo.Target)})", labels));
        recordings.Add(new RecordingRule(ErrorBudgetSeries, $"vector(1 - {Number(slo.Target)})", labels));
        recordings.Add(new RecordingRule(
            RemainingBudgetSeries,
            $"1 - ({Selector(ErrorRatioSeries(slo.Window), slo)} / (1 - {Number(slo.Target)}))",
            labels));

        var who = slo.PerTenant ? " for tenant {{ $labels.tenant }}" : string.Empty;
        var alerts = new[]
        {
            new AlertRule(
                FastBurnAlert(slo),
                Condition(slo, BurnRateWindow.Page),
                AlertSeverity.Critical,
                $"{slo.Service} is burning the error budget of {slo.Name}{who} fast",
                $"{slo.Description} At this rate the 30-day error budget ({Percent(slo.ErrorBudget)} of events) is gone within days: 14.4x over 1h and 5m, or 6x over 6h and 30m.")
            {
                Labels = labels,
            },
            new AlertRule(
                SlowBurnAlert(slo),
                Condition(slo, BurnRateWindow.Ticket),
                AlertSeverity.Warning,
                $"{slo.Service} is burning the error budget of {slo.Name}{who} steadily",
                $"{slo.Description} At this rate the 30-day error budget ({Percent(slo.ErrorBudget)} of events) runs out before the window ends: 3x over 1d and 2h, or 1x over 3d and 6h.")
            {
                Labels = labels,
            },
        };
        return new RuleGroup($"slo-{slo.Name}", recordings, alerts);
    }

    private static string Condition(ServiceLevelObjectiveArgs slo, IReadOnlyList<BurnRateWindow> windows) =>
        string.Join("\nor\n", windows.Select(w =>
        {
            var threshold = $"({Number(w.Factor)} * (1 - {Number(slo.Target)}))";
            return $"({Selector(ErrorRatioSeries(w.Long), slo)} > {threshold} and {Selector(ErrorRatioSeries(w.Short), slo)} > {threshold})";
        }));

    private static string Selector(string series, ServiceLevelObjectiveArgs slo) => $"{series}{{slo=\"{slo.Name}\"}}";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => (ratio * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%";

    private static ServiceLevelObjectiveArgs Check(ServiceLevelObjectiveArgs slo)
    {
        ArgumentNullException.ThrowIfNull(slo);
        return slo;
    }
}
