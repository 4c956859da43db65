using Infra.Observability.Alerting;
using Infra.Providers.Kubernetes;

namespace Infra.Observability.Components;

/// <summary>
/// Alert routing as an AlertmanagerConfig (<c>infra:observability:AlertRouting</c>): each tenant's alerts to the
/// tenant's receiver with <c>continue: true</c>, then every alert to the operators. The platform's Alertmanager
/// selects it and must use <c>alertmanagerConfigMatcherStrategy: None</c>, since the alerts it routes come from rules
/// in the monitoring namespace, not from the tenants' namespaces. The same routing is <see cref="AlertmanagerFiles.Yaml"/>.
/// </summary>
public sealed class AlertRouting : ComponentResource
{
    /// <summary>Declares the routing.</summary>
    public AlertRouting(string name, AlertRoutingArgs args, MonitoringPlacement? placement = null, ComponentResourceOptions? options = null)
        : base("infra:observability:AlertRouting", name, options)
    {
        Config = new KubernetesObject($"{name}-config", new KubernetesObjectArgs { Manifest = Manifest(name, args, placement ?? MonitoringPlacement.Default) },
            new CustomResourceOptions { Parent = this });
        RegisterOutputs(new Dictionary<string, object?> { ["configName"] = Config.ObjectName });
    }

    /// <summary>The AlertmanagerConfig object.</summary>
    public KubernetesObject Config { get; }

    /// <summary>The AlertmanagerConfig manifest.</summary>
    public static Dictionary<string, object?> Manifest(string name, AlertRoutingArgs args, MonitoringPlacement placement) =>
        MonitoringManifests.Object(MonitoringManifests.AlertmanagerConfigApi, "AlertmanagerConfig", name, placement, null,
            ("spec", AlertmanagerFiles.CustomResourceSpec(args)));
}
