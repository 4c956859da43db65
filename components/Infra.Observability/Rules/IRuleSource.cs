namespace Infra.Observability.Rules;

/// <summary>
/// Something that declares Prometheus rules. Components render these groups as a PrometheusRule, and
/// <see cref="RuleFiles"/> writes the very same groups as a plain rule file, so the cluster and a local Prometheus
/// (and promtool) always load the same rules.
/// </summary>
public interface IRuleSource
{
    /// <summary>The source's name; names its PrometheusRule object and its rule file.</summary>
    string RuleSetName { get; }

    /// <summary>The rule groups.</summary>
    IReadOnlyList<RuleGroup> RuleGroups();
}
