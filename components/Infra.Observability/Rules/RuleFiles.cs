using YamlDotNet.Serialization;

namespace Infra.Observability.Rules;

/// <summary>
/// Writes rule groups in Prometheus's rule-file shape. The same structure is a PrometheusRule's <c>spec</c>, so the
/// component and the plain file cannot disagree: both come from <see cref="Groups"/>.
/// </summary>
public static class RuleFiles
{
    /// <summary>The <c>groups</c> list: plain dictionaries and lists, in the order Prometheus documents the keys.</summary>
    public static List<object?> Groups(IEnumerable<RuleGroup> groups, RuleRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        options ??= RuleRenderOptions.Default;
        var result = new List<object?>();
        foreach (var group in groups)
        {
            var rendered = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = group.Name };
            if ((options.IntervalOverride ?? group.Interval) is { } interval)
            {
                rendered["interval"] = PromDuration.Format(interval);
            }

            var rules = new List<object?>();
            rules.AddRange(group.Recordings.Select(Recording));
            rules.AddRange(group.Alerts.Select(a => Alert(a, options)));
            rendered["rules"] = rules;
            result.Add(rendered);
        }

        return result;
    }

    /// <summary>A whole rule file: <c>groups: [...]</c> as YAML text.</summary>
    public static string Yaml(IEnumerable<RuleGroup> groups, RuleRenderOptions? options = null) =>
        Serializer.Serialize(new Dictionary<string, object?> { ["groups"] = Groups(groups, options) });

    /// <summary>Writes <paramref name="source"/>'s groups to <c>&lt;directory&gt;/&lt;RuleSetName&gt;.rules.yml</c> and returns the path.</summary>
    public static string Write(string directory, IRuleSource source, RuleRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{source.RuleSetName}.rules.yml");
        File.WriteAllText(path, Yaml(source.RuleGroups(), options));
        return path;
    }

    internal static ISerializer Serializer { get; } = new SerializerBuilder().DisableAliases().Build();

    private static Dictionary<string, object?> Recording(RecordingRule rule)
    {
        var rendered = new Dictionary<string, object?>(StringComparer.Ordinal) { ["record"] = rule.Record, ["expr"] = rule.Expr };
        if (rule.Labels.Count > 0)
        {
            rendered["labels"] = Sorted(rule.Labels);
        }

        return rendered;
    }

    private static Dictionary<string, object?> Alert(AlertRule rule, RuleRenderOptions options)
    {
        var rendered = new Dictionary<string, object?>(StringComparer.Ordinal) { ["alert"] = rule.Name, ["expr"] = rule.Expr };
        var wait = options.ForOverride ?? rule.For;
        if (wait > TimeSpan.Zero)
        {
            rendered["for"] = PromDuration.Format(wait);
        }

        rendered["labels"] = Sorted(rule.AllLabels());
        rendered["annotations"] = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = rule.Summary,
            ["description"] = rule.Description,
            ["runbook_url"] = Runbooks.UrlOf(rule.Name, options.RunbookBaseUrl),
        };
        return rendered;
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> labels) => new(labels.ToDictionary(), StringComparer.Ordinal);
}
