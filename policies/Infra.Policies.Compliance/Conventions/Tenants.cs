using Infra.Policies.Kubernetes;
using Infra.Policy;

namespace Infra.Policies.Compliance;

/// <summary>
/// How the platform marks what belongs to a tenant: namespaces named <c>tenant-&lt;id&gt;</c> labelled
/// <c>infra.dev/tenant: &lt;id&gt;</c>, and postgres databases and roles named <c>tenant_&lt;id&gt;</c> or
/// <c>tenant_&lt;id&gt;_&lt;suffix&gt;</c> (tenant ids hold no <c>_</c>, so the id ends at the first one).
/// </summary>
public static class Tenants
{
    /// <summary>The label carrying a namespace's tenant id.</summary>
    public const string TenantLabel = "infra.dev/tenant";

    /// <summary>The prefix of tenant namespace names.</summary>
    public const string NamespacePrefix = "tenant-";

    /// <summary>The label Kubernetes sets on every namespace to its name.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The Pod Security admission label that enforces a profile.</summary>
    public const string PodSecurityEnforceLabel = "pod-security.kubernetes.io/enforce";

    /// <summary>The default prefix of tenant database and role names.</summary>
    public const string PostgresPrefix = "tenant_";

    /// <summary>The tenant of a namespace object: its <c>infra.dev/tenant</c> label, else its name's suffix; <see langword="null"/> for platform namespaces.</summary>
    public static string? OfNamespace(KubernetesObject ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Labels.TryGetValue(TenantLabel, out var id) && id.Length > 0 ? id : OfNamespaceName(ns.Name);
    }

    /// <summary>The tenant of a namespace name (<c>tenant-acme</c> is <c>acme</c>); <see langword="null"/> for other names.</summary>
    public static string? OfNamespaceName(string? name) =>
        name is not null && name.StartsWith(NamespacePrefix, StringComparison.Ordinal) && name.Length > NamespacePrefix.Length
            ? name[NamespacePrefix.Length..]
            : null;

    /// <summary>The tenant of a postgres database or role name (<c>tenant_acme_app</c> is <c>acme</c>); <see langword="null"/> otherwise.</summary>
    public static string? OfPostgresName(string? name, string prefix = PostgresPrefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (name is null || !name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
        {
            return null;
        }

        var rest = name[prefix.Length..];
        var end = rest.IndexOf('_', StringComparison.Ordinal);
        return end < 0 ? rest : end == 0 ? null : rest[..end];
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
