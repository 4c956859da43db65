using Infra.Observability.Dashboards;
using Infra.Providers.Kubernetes;

namespace Infra.Observability.Components;

/// <summary>
/// Grafana dashboards as ConfigMaps (<c>infra:observability:GrafanaDashboards</c>), one per dashboard, named
/// <c>grafana-dashboard-&lt;uid&gt;</c> and labelled <c>grafana_dashboard: "1"</c> so that Grafana's sidecar loads them.
/// </summary>
public sealed class GrafanaDashboards : ComponentResource
{
    /// <summary>The label Grafana's dashboard sidecar watches.</summary>
    public const string SidecarLabel = "grafana_dashboard";

    /// <summary>Declares the dashboards.</summary>
    public GrafanaDashboards(string name, IReadOnlyList<Dashboard> dashboards, MonitoringPlacement? placement = null, ComponentResourceOptions? options = null)
        : base("infra:observability:GrafanaDashboards", name, options)
    {
        ArgumentNullException.ThrowIfNull(dashboards);
        ConfigMaps = [.. dashboards.Select(d => new KubernetesObject($"{name}-{d.UidValue}", new KubernetesObjectArgs
        {
            Manifest = Manifest(d, placement ?? MonitoringPlacement.Default),
        }, new CustomResourceOptions { Parent = this }))];
        RegisterOutputs(new Dictionary<string, object?> { ["dashboards"] = dashboards.Select(static d => d.UidValue).ToList() });
    }

    /// <summary>The ConfigMaps, one per dashboard.</summary>
    public IReadOnlyList<KubernetesObject> ConfigMaps { get; }

    /// <summary>A dashboard's ConfigMap.</summary>
    public static Dictionary<string, object?> Manifest(Dashboard dashboard, MonitoringPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        return MonitoringManifests.Object("v1", "ConfigMap", $"grafana-dashboard-{dashboard.UidValue}", placement,
            new Dictionary<string, string> { [SidecarLabel] = "1" },
            ("data", new Dictionary<string, object?> { [$"{dashboard.UidValue}.json"] = dashboard.ToJsonText() }));
    }
}
