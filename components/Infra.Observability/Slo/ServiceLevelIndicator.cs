using System.Text.RegularExpressions;

namespace Infra.Observability.Slo;

/// <summary>
/// A ratio SLI: of all events counted by <see cref="TotalSeries"/>, those counted by <see cref="GoodSeries"/> are good.
/// Both are PromQL selectors of counters (e.g. <c>onboarding_http_requests_total{code!~"5.."}</c>), so the same SLI
/// gives the rates of the recording rules (<c>rate(...[1h])</c>) and the increases of the SLA report
/// (<c>increase(...[1h])</c>).
/// </summary>
public sealed partial record ServiceLevelIndicator
{
    /// <summary>Declares the SLI.</summary>
    /// <exception cref="ArgumentException">A selector is not a plain series selector.</exception>
    public ServiceLevelIndicator(string goodSeries, string totalSeries)
    {
        GoodSeries = Check(goodSeries, nameof(goodSeries));
        TotalSeries = Check(totalSeries, nameof(totalSeries));
    }

    /// <summary>The counter(s) of good events.</summary>
    public string GoodSeries { get; }

    /// <summary>The counter(s) of all events.</summary>
    public string TotalSeries { get; }

    /// <summary>
    /// The error ratio over <paramref name="window"/>, grouped by <paramref name="by"/>. A window with no good events
    /// at all (every request failed) has no good series; <c>or ... * 0</c> counts it as zero good instead of no data,
    /// so a total outage is a ratio of 1, not a gap.
    /// </summary>
    public string ErrorRatio(string window, IReadOnlyList<string> by)
    {
        var total = Sum(by, $"rate({TotalSeries}[{window}])");
        return $"1 - ((({Sum(by, $"rate({GoodSeries}[{window}])")}) or ({total} * 0)) / {total})";
    }

    /// <summary>The increase of good events over <paramref name="window"/>, grouped by <paramref name="by"/>.</summary>
    public string GoodIncrease(string window, IReadOnlyList<string> by) => Sum(by, $"increase({GoodSeries}[{window}])");

    /// <summary>The increase of all events over <paramref name="window"/>, grouped by <paramref name="by"/>.</summary>
    public string TotalIncrease(string window, IReadOnlyList<string> by) => Sum(by, $"increase({TotalSeries}[{window}])");

    /// <summary>The same SLI restricted to series whose <paramref name="label"/> is one of <paramref name="values"/>.</summary>
    public ServiceLevelIndicator Where(string label, IEnumerable<string> values)
    {
        var matcher = $"{label}=~\"{string.Join('|', values.Select(static v => Regex.Escape(v).Replace("\\", "\\\\", StringComparison.Ordinal)))}\"";
        return new ServiceLevelIndicator(With(GoodSeries, matcher), With(TotalSeries, matcher));
    }

    private static string With(string selector, string matcher) =>
        selector.EndsWith('}') ? $"{selector[..^1]}{(selector.EndsWith("{}", StringComparison.Ordinal) ? string.Empty : ", ")}{matcher}}}" : $"{selector}{{{matcher}}}";

    private static string Sum(IReadOnlyList<string> by, string inner) => by.Count == 0 ? $"sum({inner})" : $"sum by ({string.Join(", ", by)}) ({inner})";

    private static string Check(string selector, string name)
    {
        if (!Selector().IsMatch(selector))
        {
            throw new ArgumentException($"SLI series '{selector}' must be a counter selector such as http_requests_total{{code!~\"5..\"}} (it is used as rate(<selector>[5m])).", name);
        }

        return selector;
    }

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}\[\]]*\})?\z""", RegexOptions.CultureInvariant)]
    private static partial Regex Selector();
}
