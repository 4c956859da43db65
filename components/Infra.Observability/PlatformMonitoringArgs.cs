using Infra.Observability.Alerting;
using Infra.Observability.Dashboards;
using Infra.Observability.Infrastructure;
using Infra.Observability.Kpis;
using Infra.Observability.Rules;
using Infra.Observability.Slo;
using Infra.Observability.Usage;

namespace Infra.Observability;

/// <summary>
/// Everything the platform monitors, as one object: its SLOs, tenant usage alerts, infrastructure alerts, business
/// KPIs, dashboards and alert routing. <see cref="Components.PlatformMonitoring"/> declares it as Kubernetes objects;
/// <see cref="MonitoringFiles"/> writes the same as plain files for a local Prometheus, Alertmanager and
/// postgres_exporter, and for promtool and amtool.
/// </summary>
public sealed record PlatformMonitoringArgs
{
    /// <summary>The SLOs; default <see cref="PlatformSlos.All"/>.</summary>
    public IReadOnlyList<ServiceLevelObjectiveArgs> Slos { get; init; } = PlatformSlos.All;

    /// <summary>The plans' database limits and the tenants' plans.</summary>
    public required TenantUsageAlertsArgs Usage { get; init; }

    /// <summary>The infrastructure alerts.</summary>
    public InfrastructureAlertsArgs Infrastructure { get; init; } = new();

    /// <summary>The business KPIs.</summary>
    public BusinessKpisArgs Kpis { get; init; } = new();

    /// <summary>Who gets which alerts.</summary>
    public required AlertRoutingArgs Routing { get; init; }

    /// <summary>The dashboards; default <see cref="PlatformDashboards.All"/>.</summary>
    public IReadOnlyList<Dashboard> Dashboards { get; init; } = PlatformDashboards.All();

    /// <summary>Every rule source, in the order their files are written.</summary>
    public IReadOnlyList<IRuleSource> RuleSources() => [.. Slos, Usage, Infrastructure, Kpis];

    /// <summary>Every alert of every rule source.</summary>
    public IReadOnlyList<AlertRule> Alerts() => [.. RuleSources().SelectMany(static s => s.RuleGroups()).SelectMany(static g => g.Alerts)];
}
