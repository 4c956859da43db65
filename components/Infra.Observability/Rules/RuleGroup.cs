using System.Text.RegularExpressions;

namespace Infra.Observability.Rules;

/// <summary>
/// A named group of rules evaluated together, in order: recording rules first when alerts read them. The same group
/// becomes a group of a PrometheusRule object and a group of a plain rule file (<see cref="RuleFiles"/>).
/// </summary>
public sealed partial record RuleGroup
{
    /// <summary>Declares a group.</summary>
    /// <exception cref="ArgumentException">The name is not a DNS-style name.</exception>
    public RuleGroup(string name, IReadOnlyList<RecordingRule> recordings, IReadOnlyList<AlertRule> alerts)
    {
        if (!GroupName().IsMatch(name))
        {
            throw new ArgumentException($"rule group name '{name}' must be lower-case letters, digits, '.' and '-'.", nameof(name));
        }

        Name = name;
        Recordings = recordings;
        Alerts = alerts;
    }

    /// <summary>The group's name, unique across all groups.</summary>
    public string Name { get; }

    /// <summary>Recording rules, evaluated before the alerts.</summary>
    public IReadOnlyList<RecordingRule> Recordings { get; }

    /// <summary>Alerting rules.</summary>
    public IReadOnlyList<AlertRule> Alerts { get; }

    /// <summary>How often the group is evaluated; <see langword="null"/> for Prometheus's global interval.</summary>
    public TimeSpan? Interval { get; init; }

    [GeneratedRegex("^[a-z0-9]([-.a-z0-9]*[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex GroupName();
}
