using Infra.Policies;
using Infra.Policies.Kubernetes;
using Infra.Values;

namespace Acme.Policies;

/// <summary>
/// Every Kubernetes object carries the label <c>acme.dev/owner</c> naming the team to call. Remediation writes the
/// configured <c>defaultOwner</c>.
/// </summary>
public sealed class OwnerLabel : RemediatingResourcePolicy
{
    /// <summary>The label.</summary>
    public const string Label = "acme.dev/owner";

    private static readonly PropertyPath s_label = PropertyPath.Root.Append("metadata").Append("labels").Append(Label);

    /// <inheritdoc/>
    public override string Name => "owner-label";

    /// <inheritdoc/>
    public override string Description => "Every Kubernetes object names its owning team in the label acme.dev/owner.";

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .String("defaultOwner", "The team remediation writes when an object names none.", defaultValue: "platform");

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } =
        ResourceSelector.Where("Kubernetes objects", static r => KubernetesObject.From(r) is not null);

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (LacksOwner(context))
        {
            context.Report($"set the label {Label} to the team that owns this object.");
        }
    }

    /// <inheritdoc/>
    public override PropertyMap Remediate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return LacksOwner(context)
            ? context.Inputs.With(s_label, PropertyValue.Create(context.Config.GetString("defaultOwner")))
            : context.Inputs;
    }

    private static bool LacksOwner(ResourcePolicyContext context) =>
        // Labels computed from other resources are known only at apply time: up checks them again.
        !context.Inputs.IsUnresolvedAt("metadata.labels") && s_label.Find(context.Inputs) is null or { IsNull: true };
}
