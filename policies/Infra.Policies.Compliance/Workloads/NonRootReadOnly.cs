using Infra.Policies.Kubernetes;
using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Compliance.Workloads;

/// <summary>
/// Every container runs as non-root (<c>runAsNonRoot: true</c>, on the container or inherited from the pod) with a
/// read-only root filesystem (<c>readOnlyRootFilesystem: true</c>).
/// </summary>
/// <remarks>
/// Rationale: root in a container is one kernel bug away from root on the node, and a writable root filesystem lets
/// an intruder drop tools and persist changes in the image layer. Both are cheap to give up: write to mounted
/// volumes (an emptyDir for scratch space). Remediation sets both flags on each container that lacks them; an image
/// that must run as root then fails to start, which is the point.
/// </remarks>
public sealed class NonRootReadOnly : RemediatingResourcePolicy
{
    /// <inheritdoc/>
    public override string Name => "non-root-read-only";

    /// <inheritdoc/>
    public override string Description => "Containers set runAsNonRoot and readOnlyRootFilesystem.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override ResourceSelector Selector => ResourceSelector.KubernetesWorkloads;

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (container, missing) in Findings(context))
        {
            context.Report($"{container.Describe()} must set securityContext.{string.Join(" and securityContext.", missing)} to true (at {container.Path}).");
        }
    }

    /// <inheritdoc/>
    public override PropertyMap Remediate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inputs = context.Inputs;
        foreach (var (container, missing) in Findings(context))
        {
            foreach (var flag in missing)
            {
                inputs = inputs.With(container.Property("securityContext", flag), PropertyValue.True);
            }
        }

        return inputs;
    }

    private static IEnumerable<(Container Container, List<string> Missing)> Findings(ResourcePolicyContext context)
    {
        if (Workload.TemplateOf(context) is not { } template)
        {
            yield break;
        }

        var podNonRoot = template.Spec.At("securityContext.runAsNonRoot");
        foreach (var container in template.Containers)
        {
            var missing = new List<string>();
            var nonRoot = container.Spec.At("securityContext.runAsNonRoot");
            if (!IsTrueOrPending(nonRoot) && !(nonRoot is null && IsTrueOrPending(podNonRoot)))
            {
                missing.Add("runAsNonRoot");
            }

            if (!IsTrueOrPending(container.Spec.At("securityContext.readOnlyRootFilesystem")))
            {
                missing.Add("readOnlyRootFilesystem");
            }

            if (missing.Count > 0 && !container.Spec.IsUnresolvedAt("securityContext"))
            {
                yield return (container, missing);
            }
        }
    }

    private static bool IsTrueOrPending(PropertyValue? value) => value.IsUnresolved() || (value is not null && value.TryGetBool(out var flag) && flag);
}
