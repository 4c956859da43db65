using Infra.Policy;

namespace Infra.Policies.Compliance.TenantIsolation;

/// <summary>Every tenant namespace has a ResourceQuota and a LimitRange.</summary>
/// <remarks>
/// Rationale: without a quota one tenant can take a cluster's CPU, memory, storage or pod slots from every other
/// tenant (a noisy neighbour, or a runaway deployment). The LimitRange gives containers that set no requests and
/// limits sane defaults and caps, so the quota can be enforced at all.
/// </remarks>
public sealed class TenantQuotaAndLimits : StackPolicy
{
    /// <inheritdoc/>
    public override string Name => "tenant-quota-and-limits";

    /// <inheritdoc/>
    public override string Description => "Every tenant namespace has a ResourceQuota and a LimitRange, so no tenant can starve the others.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override void Validate(StackPolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (resource, name, _) in Tenants.NamespacesIn(context))
        {
            foreach (var kind in new[] { "ResourceQuota", "LimitRange" })
            {
                if (!Tenants.ObjectsIn(context, kind, name).Any())
                {
                    context.Report(resource, $"tenant namespace '{name}' has no {kind}: declare one in the namespace, sized from the tenant's plan.");
                }
            }
        }
    }
}
