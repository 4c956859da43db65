using Infra.Stacks.Kinds.Tenant;
using Infra.Tenancy;
using static Infra.Stacks.Kinds.Platform.PlatformObjects;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// One PriorityClass per plan tier, <c>tenant-&lt;plan&gt;</c>, declared once here: the tenants of a tier share it,
/// so no tenant stack owns it and none carries a copy. A tenant's pods name it; a tenant applied before the platform
/// waits for it (the API server refuses pods naming a missing class), and nothing else changes.
/// </summary>
internal static class TierPriorityClasses
{
    /// <summary>Declares the classes of every plan.</summary>
    public static void Declare(IReadOnlyDictionary<string, TenantPlan> plans)
    {
        foreach (var plan in plans.Values.OrderBy(static p => p.Name, StringComparer.Ordinal))
        {
            var name = TenantConventions.PriorityClassOf(plan.Namespace.Tier);
            DeclareObject($"priority-{name}", Manifest("scheduling.k8s.io/v1", "PriorityClass", name, null, null,
                ("value", plan.Namespace.Priority),
                ("globalDefault", false),
                ("preemptionPolicy", "Never"),
                ("description", $"Pods of tenants on the {plan.Namespace.Tier} plan.")));
        }
    }
}
