using Infra.Observability.Rules;

namespace Infra.Observability.Usage;

/// <summary>
/// Args of <see cref="Components.TenantUsageAlerts"/>: the plans' database limits and which tenant is on which plan. The
/// namespace quotas need no args: kube-state-metrics reports each ResourceQuota's <c>hard</c> values, which the
/// tenant namespace takes from the plan.
/// </summary>
public sealed record TenantUsageAlertsArgs : IRuleSource
{
    /// <summary>Every plan's database limits.</summary>
    public required IReadOnlyList<PlanLimits> Plans { get; init; }

    /// <summary>The tenants and their plans; each becomes an <c>infra:tenant_plan:info</c> series.</summary>
    public IReadOnlyList<TenantAssignment> Tenants { get; init; } = [];

    /// <inheritdoc/>
    public string RuleSetName => "tenant-usage";

    /// <inheritdoc/>
    public IReadOnlyList<RuleGroup> RuleGroups() => TenantUsageRules.For(this);
}
