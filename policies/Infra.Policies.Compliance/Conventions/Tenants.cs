using Infra.Policies.Kubernetes;
using Infra.Policy;
using Infra.Tenancy;

namespace Infra.Policies.Compliance;

/// <summary>
/// How the pack recognises what belongs to a tenant, by the platform's <see cref="TenantConventions"/>: namespaces
/// named <c>tenant-&lt;id&gt;</c> labelled <c>infra.dev/tenant: &lt;id&gt;</c>, and postgres databases and roles named
/// <c>tenant_&lt;id&gt;</c> or <c>tenant_&lt;id&gt;_&lt;suffix&gt;</c>.
/// </summary>
public static class Tenants
{
    /// <summary>The label Kubernetes sets on every namespace to its name.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The Pod Security admission label that enforces a profile.</summary>
    public const string PodSecurityEnforceLabel = "pod-security.kubernetes.io/enforce";

    /// <summary>The tenant of a namespace object: its <c>infra.dev/tenant</c> label, else its name's suffix; <see langword="null"/> for platform namespaces.</summary>
    public static string? OfNamespace(KubernetesObject ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Labels.TryGetValue(TenantConventions.LabelKey, out var id) && id.Length > 0 ? id : TenantConventions.TenantOfNamespace(ns.Name);
    }

    /// <summary>The tenant namespaces of the stack, with their names and tenant ids.</summary>
    internal static IEnumerable<(PolicyResource Resource, string Name, string Tenant)> NamespacesIn(StackPolicyContext context)
    {
        foreach (var resource in context.Select(ResourceSelector.KubernetesKind("Namespace")))
        {
            var ns = KubernetesObject.From(resource)!;
            if (ns.Name is { } name && OfNamespace(ns) is { } tenant)
            {
                yield return (resource, name, tenant);
            }
        }
    }

    /// <summary>
    /// The objects of <paramref name="groupKind"/> in namespace <paramref name="ns"/>, and those whose namespace is not
    /// known until apply (they may turn out to be in it, so existence checks must not fail because of them).
    /// </summary>
    internal static IEnumerable<KubernetesObject> ObjectsIn(StackPolicyContext context, string groupKind, string ns) =>
        context.Select(ResourceSelector.KubernetesKind(groupKind))
            .Select(static r => KubernetesObject.From(r)!)
            .Where(o => o.Namespace == ns || o.Inputs.IsUnresolvedAt("metadata.namespace"));
}
