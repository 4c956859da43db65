using Infra.Policies.Kubernetes;
using Infra.Policy;

namespace Infra.Policies.Compliance.Workloads;

/// <summary>No container image is untagged or tagged <c>:latest</c>; a version tag or a digest pins it.</summary>
/// <remarks>
/// Rationale: an untagged image means <c>:latest</c>, and <c>:latest</c> moves. Two nodes can then run different code
/// under the same spec, a rollback cannot go back, and a plan reviewed today is not what runs tomorrow. A digest
/// (<c>@sha256:...</c>) pins exactly; a version tag pins by convention.
/// </remarks>
public sealed class PinnedImageTags : ResourcePolicy
{
    /// <inheritdoc/>
    public override string Name => "pinned-image-tags";

    /// <inheritdoc/>
    public override string Description => "No untagged or ':latest' images: every image is pinned by a version tag or a digest.";

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
            if (Workload.ImageOf(container) is not { } image)
            {
                continue;
            }

            var reference = ImageReference.Parse(image);
            if (reference.Digest is not null)
            {
                continue;
            }

            if (reference.Tag is null)
            {
                context.Report($"{container.Describe()} uses the untagged image '{image}', which means ':latest'; pin a version tag or a digest.");
            }
            else if (string.Equals(reference.Tag, "latest", StringComparison.OrdinalIgnoreCase))
            {
                context.Report($"{container.Describe()} uses '{image}'; ':latest' moves under you, so pin a version tag or a digest.");
            }
        }
    }
}
