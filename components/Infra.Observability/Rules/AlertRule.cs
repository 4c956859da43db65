using System.Text.RegularExpressions;

namespace Infra.Observability.Rules;

/// <summary>
/// A Prometheus alerting rule. Its <c>runbook_url</c> annotation is derived from the name (see <see cref="Runbooks"/>),
/// so every alert has one and the file it points at is named after the alert.
/// </summary>
public sealed partial record AlertRule
{
    /// <summary>Declares an alert; the name must be a PascalCase identifier, it names the runbook too.</summary>
    /// <exception cref="ArgumentException">The name or expression is not usable.</exception>
    public AlertRule(string name, string expr, AlertSeverity severity, string summary, string description)
    {
        if (!AlertName().IsMatch(name))
        {
            throw new ArgumentException($"alert name '{name}' must be PascalCase letters and digits (it names the runbook file).", nameof(name));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(expr);
        ArgumentException.ThrowIfNullOrWhiteSpace(summary);
        Name = name;
        Expr = expr;
        Severity = severity;
        Summary = summary;
        Description = description;
    }

    /// <summary>The alert's name (<c>alertname</c>).</summary>
    public string Name { get; }

    /// <summary>The PromQL condition; every series it returns is an alert.</summary>
    public string Expr { get; }

    /// <summary>How urgent it is.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>One line for the notification; may use <c>{{ $labels.x }}</c>.</summary>
    public string Summary { get; }

    /// <summary>What it means, a few sentences; may use <c>{{ $labels.x }}</c>.</summary>
    public string Description { get; }

    /// <summary>How long the condition must hold before the alert fires.</summary>
    public TimeSpan For { get; init; }

    /// <summary>Labels added to the alert besides <c>severity</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The labels the alert carries: <see cref="Labels"/> and <c>severity</c>.</summary>
    public IReadOnlyDictionary<string, string> AllLabels()
    {
        var labels = new SortedDictionary<string, string>(Labels.ToDictionary(), StringComparer.Ordinal)
        {
            ["severity"] = Severity == AlertSeverity.Critical ? "critical" : "warning",
        };
        return labels;
    }

    [GeneratedRegex("^[A-Z][A-Za-z0-9]{2,80}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex AlertName();
}
