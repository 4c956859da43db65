using Infra.Observability.Rules;
using Infra.Providers.Kubernetes;

namespace Infra.Observability.Components;

/// <summary>
/// The shape every rule component shares: one PrometheusRule object, named after its rule source, holding the
/// source's groups exactly as <see cref="RuleFiles"/> writes them to a plain rule file.
/// </summary>
public abstract class PrometheusRuleSet : ComponentResource
{
    /// <summary>Declares the component and its PrometheusRule.</summary>
    protected PrometheusRuleSet(string type, string name, IRuleSource source, MonitoringPlacement? placement, ComponentResourceOptions? options)
        : base(type, name, options)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        Rule = new KubernetesObject($"{name}-rule", new KubernetesObjectArgs
        {
            Manifest = MonitoringManifests.PrometheusRule(source, placement ?? MonitoringPlacement.Default),
        }, new CustomResourceOptions { Parent = this });
        RegisterOutputs(new Dictionary<string, object?> { ["ruleName"] = Rule.ObjectName });
    }

    /// <summary>The rules this component declares.</summary>
    public IRuleSource Source { get; }

    /// <summary>The PrometheusRule object.</summary>
    public KubernetesObject Rule { get; }
}

/// <summary>
/// An SLO (<c>infra:observability:ServiceLevelObjective</c>): its error-ratio recording rules per window, its
/// error-budget series and its multi-window, multi-burn-rate alerts, as a PrometheusRule. See
/// <see cref="Slo.ServiceLevelObjectiveRules"/>.
/// </summary>
public sealed class ServiceLevelObjective(string name, Slo.ServiceLevelObjectiveArgs args, MonitoringPlacement? placement = null, ComponentResourceOptions? options = null)
    : PrometheusRuleSet("infra:observability:ServiceLevelObjective", name, args, placement, options);

/// <summary>
/// Tenant usage alerts (<c>infra:observability:TenantUsageAlerts</c>): database size and connections against the plan,
/// namespace CPU, memory and pod quotas, at 80 % and 100 %, labelled with the tenant. See <see cref="Usage.TenantUsageRules"/>.
/// </summary>
public sealed class TenantUsageAlerts(string name, Usage.TenantUsageAlertsArgs args, MonitoringPlacement? placement = null, ComponentResourceOptions? options = null)
    : PrometheusRuleSet("infra:observability:TenantUsageAlerts", name, args, placement, options);

/// <summary>
/// Infrastructure alerts (<c>infra:observability:InfrastructureAlerts</c>): nodes, PostgreSQL, certificates and
/// stack drift. See <see cref="Infrastructure.InfrastructureRules"/>.
/// </summary>
public sealed class InfrastructureAlerts(string name, Infrastructure.InfrastructureAlertsArgs args, MonitoringPlacement? placement = null, ComponentResourceOptions? options = null)
    : PrometheusRuleSet("infra:observability:InfrastructureAlerts", name, args, placement, options);

/// <summary>Business KPIs as recording rules (<c>infra:observability:BusinessKpis</c>). See <see cref="Kpis.BusinessKpisArgs"/>.</summary>
public sealed class BusinessKpis(string name, Kpis.BusinessKpisArgs args, MonitoringPlacement? placement = null, ComponentResourceOptions? options = null)
    : PrometheusRuleSet("infra:observability:BusinessKpis", name, args, placement, options);
