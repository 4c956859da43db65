using System.Text.RegularExpressions;

namespace Infra.Observability.Rules;

/// <summary>A Prometheus recording rule: the series <see cref="Record"/> holds <see cref="Expr"/>, evaluated on every round.</summary>
public sealed partial record RecordingRule
{
    /// <summary>Declares a recording rule; the name follows Prometheus's <c>level:metric:operations</c> style.</summary>
    /// <exception cref="ArgumentException">The name is not a metric name.</exception>
    public RecordingRule(string record, string expr, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (!MetricName().IsMatch(record))
        {
            throw new ArgumentException($"recording rule name '{record}' is not a metric name (letters, digits, '_' and ':').", nameof(record));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(expr);
        Record = record;
        Expr = expr;
        Labels = labels ?? new Dictionary<string, string>();
    }

    /// <summary>The recorded series' name.</summary>
    public string Record { get; }

    /// <summary>The PromQL expression.</summary>
    public string Expr { get; }

    /// <summary>Labels set on the recorded series.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MetricName();
}
