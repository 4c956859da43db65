using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Compliance.Workloads;

/// <summary>No pod shares its node's network, PID or IPC namespace (<c>hostNetwork</c>, <c>hostPID</c>, <c>hostIPC</c>) or mounts a <c>hostPath</c> volume.</summary>
/// <remarks>
/// Rationale: each of these reaches past the container boundary into the node: host networking sees every pod's
/// traffic and bypasses NetworkPolicies, a host PID namespace sees (and signals) every process, and a hostPath mount
/// reads or writes the node's files, other tenants' volumes included.
/// </remarks>
public sealed class NoHostAccess : ResourcePolicy
{
    private static readonly string[] s_hostNamespaces = ["hostNetwork", "hostPID", "hostIPC"];

    /// <inheritdoc/>
    public override string Name => "no-host-access";

    /// <inheritdoc/>
    public override string Description => "No hostPath volumes, hostNetwork, hostPID or hostIPC: pods stay inside their own boundary.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override ResourceSelector Selector => ResourceSelector.KubernetesWorkloads;

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Workload.TemplateOf(context) is not { } template)
        {
            return;
        }

        foreach (var key in s_hostNamespaces.Where(k => template.Spec.BoolAt(k) == true))
        {
            context.Report($"the pod sets {key}: true (at {template.SpecPath}); remove it.");
        }

        var volumes = template.Spec.ArrayAt("volumes");
        for (var i = 0; i < volumes.Length; i++)
        {
            if (volumes[i].Unwrapped is { Kind: PropertyValueKind.Object } volume && volume.AsObject.At("hostPath") is { IsNull: false })
            {
                var name = volume.AsObject.StringAt("name") ?? $"#{i}";
                context.Report($"volume '{name}' mounts a hostPath (at {template.SpecPath.Append("volumes").Append(i)}); use a PersistentVolumeClaim, a ConfigMap or an emptyDir.");
            }
        }
    }
}
