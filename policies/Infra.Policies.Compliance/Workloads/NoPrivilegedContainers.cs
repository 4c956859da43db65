using Infra.Policy;

namespace Infra.Policies.Compliance.Workloads;

/// <summary>No container runs privileged (<c>securityContext.privileged: true</c>).</summary>
/// <remarks>
/// Rationale: a privileged container has every capability and every device of its node; it is root on the node
/// in all but name, and from there on every other tenant's pods. Nothing a tenant or platform workload does needs it.
/// </remarks>
public sealed class NoPrivilegedContainers : ResourcePolicy
{
    /// <inheritdoc/>
    public override string Name => "no-privileged-containers";

    /// <inheritdoc/>
    public override string Description => "No privileged containers: a privileged container owns its node.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override ResourceSelector Selector => ResourceSelector.KubernetesWorkloads;

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var container in Workload.TemplateOf(context)?.Containers ?? [])
        {
            if (container.Spec.BoolAt("securityContext.privileged") == true)
            {
                context.Report($"{container.Describe()} is privileged; remove securityContext.privileged (at {container.Path}).");
            }
        }
    }
}
