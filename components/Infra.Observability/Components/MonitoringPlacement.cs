namespace Infra.Observability.Components;

/// <summary>
/// Where monitoring objects go and how the monitoring stack finds them: the namespace, and the labels
/// kube-prometheus-stack's Prometheus selects rules by (<c>release: kube-prometheus-stack</c> by default).
/// </summary>
public sealed record MonitoringPlacement
{
    /// <summary>The namespace of the rules, dashboards and Alertmanager config.</summary>
    public string Namespace { get; init; } = "monitoring";

    /// <summary>Labels on every object, for the Prometheus and Alertmanager selectors.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>
    {
        ["release"] = "kube-prometheus-stack",
        ["app.kubernetes.io/part-of"] = "infra-monitoring",
    };

    /// <summary>How rules are rendered (runbook base URL).</summary>
    public Rules.RuleRenderOptions Rules { get; init; } = Observability.Rules.RuleRenderOptions.Default;

    /// <summary>The defaults.</summary>
    public static MonitoringPlacement Default { get; } = new();
}
