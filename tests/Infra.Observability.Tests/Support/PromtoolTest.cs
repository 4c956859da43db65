using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Infra.Observability.Rules;

namespace Infra.Observability.Tests.Support;

/// <summary>A series for promtool's input: a selector and its values, one per minute, as segments of a constant step.</summary>
public sealed record InputSeries(string Series, string Values)
{
    /// <summary>A counter: each segment is some minutes at its per-minute increase, one after another.</summary>
    public static InputSeries Counter(string series, params (int Minutes, double PerMinute)[] segments)
    {
        var (value, parts) = (0.0, new List<string>());
        var first = true;
        foreach (var (minutes, perMinute) in segments)
        {
            // 'a+bxn' is n+1 values; segments after the first start one step on, so the series has one value per minute.
            var start = first ? value : value + perMinute;
            var steps = first ? minutes : minutes - 1;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{start}+{perMinute}x{steps}"));
            value = start + (perMinute * steps);
            first = false;
        }

        return new InputSeries(series, string.Join(' ', parts));
    }

    /// <summary>A gauge that holds <paramref name="value"/> for <paramref name="minutes"/> minutes.</summary>
    public static InputSeries Gauge(string series, double value, int minutes = 120) =>
        new(series, string.Create(CultureInfo.InvariantCulture, $"{value}+0x{minutes}"));
}

/// <summary>
/// One <c>promtool test rules</c> case for one alert: the input, times at which it must be quiet, and times at which
/// it must fire with exactly the expected labels (the rule's, the series', and <c>alertname</c>) and annotations.
/// </summary>
public sealed partial class PromtoolTest(AlertRule alert, IReadOnlyList<InputSeries> input)
{
    private readonly List<(TimeSpan At, IReadOnlyList<IReadOnlyDictionary<string, string>> Alerts)> _checks = [];

    public AlertRule Alert { get; } = alert;

    public PromtoolTest QuietAt(TimeSpan at)
    {
        _checks.Add((at, []));
        return this;
    }

    public PromtoolTest FiresAt(TimeSpan at, params IReadOnlyDictionary<string, string>[] seriesLabels)
    {
        _checks.Add((at, seriesLabels));
        return this;
    }

    public bool ExpectsFiring => _checks.Any(static c => c.Alerts.Count > 0);

    public bool ExpectsQuiet => _checks.Any(static c => c.Alerts.Count == 0);

    /// <summary>The test file's <c>tests:</c> entry.</summary>
    public string Yaml()
    {
        var text = new StringBuilder();
        text.AppendLine("  - interval: 1m");
        text.AppendLine("    input_series:");
        foreach (var series in input)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"      - series: '{series.Series}'");
            text.AppendLine(CultureInfo.InvariantCulture, $"        values: '{series.Values}'");
        }

        text.AppendLine("    alert_rule_test:");
        foreach (var (at, alerts) in _checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"      - eval_time: {Rules.PromDuration.Format(at)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"        alertname: {Alert.Name}");
            if (alerts.Count == 0)
            {
                text.AppendLine("        exp_alerts: []");
                continue;
            }

            text.AppendLine("        exp_alerts:");
            foreach (var labels in alerts)
            {
                var all = new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal);
                foreach (var (key, value) in Alert.AllLabels())
                {
                    all[key] = value;
                }

                text.AppendLine("          - exp_labels:");
                foreach (var (key, value) in all)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"              {key}: {Quote(value)}");
                }

                text.AppendLine("            exp_annotations:");
                text.AppendLine(CultureInfo.InvariantCulture, $"              summary: {Quote(Expand(Alert.Summary, all))}");
                text.AppendLine(CultureInfo.InvariantCulture, $"              description: {Quote(Expand(Alert.Description, all))}");
                text.AppendLine(CultureInfo.InvariantCulture, $"              runbook_url: {Quote(Runbooks.UrlOf(Alert.Name))}");
            }
        }

        return text.ToString();
    }

    private static string Expand(string template, IReadOnlyDictionary<string, string> labels) =>
        LabelReference().Replace(template, m => labels.GetValueOrDefault(m.Groups[1].Value) ?? string.Empty);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"\{\{ \$labels\.([a-zA-Z_]+) \}\}")]
    private static partial Regex LabelReference();
}
