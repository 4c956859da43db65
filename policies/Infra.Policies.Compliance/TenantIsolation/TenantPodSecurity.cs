using Infra.Policies.Kubernetes;
using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Compliance.TenantIsolation;

/// <summary>
/// Tenant namespaces enforce the Pod Security <c>restricted</c> profile
/// (label <c>pod-security.kubernetes.io/enforce: restricted</c>).
/// </summary>
/// <remarks>
/// Rationale: tenants share nodes. The restricted profile is what the API server itself enforces to stop a pod from
/// escaping to its node (privileged mode, host namespaces, root, added capabilities), so it holds even for objects
/// that never pass through this engine. Remediation adds the label.
/// </remarks>
public sealed class TenantPodSecurity : RemediatingResourcePolicy
{
    private static readonly PropertyPath s_enforceLabel = PropertyPath.Root.Append("metadata").Append("labels").Append(Tenants.PodSecurityEnforceLabel);

    /// <inheritdoc/>
    public override string Name => "tenant-pod-security";

    /// <inheritdoc/>
    public override string Description =>
        "Tenant namespaces enforce Pod Security 'restricted', so no tenant pod can reach its node even if it bypasses this engine.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } = ResourceSelector.KubernetesKind("Namespace");

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (NeedsLabel(context) is { } current)
        {
            context.Report($"tenant namespace must enforce Pod Security 'restricted': set label {Tenants.PodSecurityEnforceLabel}: restricted (it is {current}).");
        }
    }

    /// <inheritdoc/>
    public override PropertyMap Remediate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return NeedsLabel(context) is null ? context.Inputs : context.Inputs.With(s_enforceLabel, PropertyValue.Create("restricted"));
    }

    /// <summary>How the label is now when it must change ('missing', or its value); <see langword="null"/> when it is fine or not known yet.</summary>
    private static string? NeedsLabel(ResourcePolicyContext context)
    {
        var ns = KubernetesObject.From(context.Resource)!;
        var value = s_enforceLabel.Find(context.Inputs);
        if (Tenants.OfNamespace(ns) is null || value.IsUnresolved() || context.Inputs.IsUnresolvedAt("metadata.labels"))
        {
            return null;
        }

        return value is null ? "missing" : value.TryGetString(out var text) && text == "restricted" ? null : $"'{value}'";
    }
}
