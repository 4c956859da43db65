using Infra.Observability.Rules;
using Infra.Providers.Kubernetes;

namespace Infra.Observability.Components;

/// <summary>The manifests of the monitoring objects, as plain dictionaries for <see cref="KubernetesObject"/>.</summary>
public static class MonitoringManifests
{
    /// <summary>The prometheus-operator API of PrometheusRule.</summary>
    public const string PrometheusRuleApi = "monitoring.coreos.com/v1";

    /// <summary>The prometheus-operator API of AlertmanagerConfig.</summary>
    public const string AlertmanagerConfigApi = "monitoring.coreos.com/v1alpha1";

    /// <summary>A PrometheusRule named after the source, holding its groups.</summary>
    public static Dictionary<string, object?> PrometheusRule(IRuleSource source, MonitoringPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(placement);
        return Object(PrometheusRuleApi, "PrometheusRule", source.RuleSetName, placement, null,
            ("spec", new Dictionary<string, object?> { ["groups"] = RuleFiles.Groups(source.RuleGroups(), placement.Rules) }));
    }

    /// <summary>A manifest with metadata from <paramref name="placement"/> and extra labels.</summary>
    public static Dictionary<string, object?> Object(string apiVersion, string kind, string name, MonitoringPlacement placement,
        IReadOnlyDictionary<string, string>? extraLabels, params (string Key, object? Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var labels = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in placement.Labels.Concat(extraLabels ?? new Dictionary<string, string>()))
        {
            labels[key] = value;
        }

        var manifest = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["name"] = name,
                ["namespace"] = placement.Namespace,
                ["labels"] = labels.ToDictionary(StringComparer.Ordinal),
            },
        };
        foreach (var (key, value) in fields)
        {
            manifest[key] = value;
        }

        return manifest;
    }
}
