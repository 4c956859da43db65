namespace Infra.Observability.Components;

/// <summary>
/// The platform's whole monitoring (<c>infra:observability:PlatformMonitoring</c>): a <see cref="ServiceLevelObjective"/>
/// per SLO, <see cref="TenantUsageAlerts"/>, <see cref="InfrastructureAlerts"/>, <see cref="BusinessKpis"/>,
/// <see cref="GrafanaDashboards"/> and <see cref="AlertRouting"/>, all in the monitoring namespace.
/// </summary>
public sealed class PlatformMonitoring : ComponentResource
{
    /// <summary>Declares it.</summary>
    public PlatformMonitoring(string name, PlatformMonitoringArgs args, MonitoringPlacement? placement = null, ComponentResourceOptions? options = null)
        : base("infra:observability:PlatformMonitoring", name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var child = new ComponentResourceOptions { Parent = this };
        foreach (var slo in args.Slos)
        {
            _ = new ServiceLevelObjective($"{name}-slo-{slo.Name}", slo, placement, child);
        }

        _ = new TenantUsageAlerts($"{name}-tenant-usage", args.Usage, placement, child);
        _ = new InfrastructureAlerts($"{name}-infrastructure", args.Infrastructure, placement, child);
        _ = new BusinessKpis($"{name}-business-kpis", args.Kpis, placement, child);
        _ = new GrafanaDashboards($"{name}-dashboards", args.Dashboards, placement, child);
        _ = new AlertRouting($"{name}-alerts", args.Routing, placement, child);
        RegisterOutputs(new Dictionary<string, object?> { ["namespace"] = (placement ?? MonitoringPlacement.Default).Namespace });
    }
}
