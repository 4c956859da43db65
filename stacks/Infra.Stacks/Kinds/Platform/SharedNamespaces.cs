using Infra.Providers.Kubernetes;
using Infra.Tenancy;
using static Infra.Stacks.Kinds.Platform.PlatformObjects;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// The namespaces of the shared layer (<see cref="PlatformNamespaces"/>). Each is labelled with its name, which the
/// tenants' NetworkPolicies select (<c>ingress-nginx</c> may reach tenant pods, <c>monitoring</c> may scrape them), and
/// with <c>infra.dev/platform</c>. Pod Security is enforced at the level its workloads need, and warns at
/// <c>restricted</c>: node-exporter and Fluent Bit read the nodes, so monitoring and logging are privileged.
/// </summary>
internal static class SharedNamespaces
{
    /// <summary>Each namespace with the Pod Security level it enforces.</summary>
    public static readonly IReadOnlyList<(string Name, string Enforce)> All =
    [
        (PlatformNamespaces.Platform, "baseline"),
        (PlatformNamespaces.Ingress, "baseline"),
        (PlatformNamespaces.Monitoring, "privileged"),
        (PlatformNamespaces.Logging, "privileged"),
        (PlatformNamespaces.Tracing, "baseline"),
    ];

    /// <summary>Declares the namespaces; returns them by name.</summary>
    public static IReadOnlyDictionary<string, KubernetesObject> Declare(string podSecurityVersion) =>
        All.ToDictionary(static n => n.Name, n => DeclareObject(
            $"namespace-{n.Name}",
            Manifest("v1", "Namespace", n.Name, null, new Dictionary<string, string>
            {
                [PlatformNamespaces.NameLabel] = n.Name,
                [PlatformNamespaces.RoleLabel] = n.Name,
                ["pod-security.kubernetes.io/enforce"] = n.Enforce,
                ["pod-security.kubernetes.io/enforce-version"] = podSecurityVersion,
                ["pod-security.kubernetes.io/warn"] = "restricted",
                ["pod-security.kubernetes.io/warn-version"] = podSecurityVersion,
            })), StringComparer.Ordinal);
}
