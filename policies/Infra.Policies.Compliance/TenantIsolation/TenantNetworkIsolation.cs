using System.Collections.Immutable;
using Infra.Policies.Kubernetes;
using Infra.Policy;
using Infra.Tenancy;
using Infra.Values;

namespace Infra.Policies.Compliance.TenantIsolation;

/// <summary>
/// No NetworkPolicy in a tenant namespace allows traffic from or to another tenant's namespace.
/// </summary>
/// <remarks>
/// <para>Rationale: the default-deny policy is only as good as the allows beside it. One <c>namespaceSelector: {}</c>
/// (every namespace) or a selector on another tenant's id opens a path between tenants that the default-deny was
/// meant to close.</para>
/// <para>How it decides: each peer's <c>namespaceSelector</c> is evaluated against the labels the platform gives a
/// tenant namespace (<c>kubernetes.io/metadata.name: tenant-&lt;id&gt;</c>, <c>infra.dev/tenant: &lt;id&gt;</c>, the Pod
/// Security labels), for every tenant the selector names and for a tenant it does not name. If it would select any
/// tenant but the policy's own, the peer is a violation. Selectors on labels tenants never carry (for instance
/// <c>kubernetes.io/metadata.name: ingress-nginx</c>) pass.</para>
/// </remarks>
public sealed class TenantNetworkIsolation : ResourcePolicy
{
    // Not a valid tenant id, so it stands for "a tenant the selector does not name".
    private const string UnnamedTenant = "(another tenant)";

    /// <inheritdoc/>
    public override string Name => "tenant-network-isolation";

    /// <inheritdoc/>
    public override string Description => "No NetworkPolicy in a tenant namespace allows traffic from or to another tenant's namespace.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } = ResourceSelector.KubernetesKind("NetworkPolicy.networking.k8s.io");

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = KubernetesObject.From(context.Resource)!;
        if (TenantConventions.TenantOfNamespace(policy.Namespace) is not { } tenant)
        {
            return;
        }

        Check(context, tenant, "ingress", "from");
        Check(context, tenant, "egress", "to");
    }

    private static void Check(ResourcePolicyContext context, string tenant, string direction, string peersKey)
    {
        var rules = context.Inputs.ArrayAt($"spec.{direction}");
        for (var i = 0; i < rules.Length; i++)
        {
            var peers = rules[i].Unwrapped.Kind == PropertyValueKind.Object ? rules[i].Unwrapped.AsObject.ArrayAt(peersKey) : [];
            for (var j = 0; j < peers.Length; j++)
            {
                var peer = peers[j].Unwrapped;
                if (peer.Kind != PropertyValueKind.Object || peer.AsObject.At("namespaceSelector") is not { } value || value.IsNull)
                {
                    continue; // no namespaceSelector: the peer is in the policy's own namespace
                }

                if (LabelSelector.Parse(value) is not { } selector)
                {
                    continue; // not known until apply
                }

                if (OtherTenantSelected(selector, tenant) is { } other)
                {
                    var who = other == UnnamedTenant ? "other tenants' namespaces" : $"the namespace of tenant '{other}'";
                    context.Report(
                        $"spec.{direction}[{i}].{peersKey}[{j}].namespaceSelector selects {who}: a tenant's NetworkPolicy may allow only its own namespace " +
                        $"and platform namespaces; select them by name or by {TenantConventions.LabelKey}: {tenant}.");
                }
            }
        }
    }

    private static string? OtherTenantSelected(LabelSelector selector, string tenant)
    {
        var named = selector.ValuesFor(TenantConventions.LabelKey)
            .Concat(selector.ValuesFor(Tenants.NamespaceNameLabel).Select(TenantConventions.TenantOfNamespace).OfType<string>());
        return named.Append(UnnamedTenant)
            .Where(candidate => candidate != tenant)
            .FirstOrDefault(candidate => selector.Matches(NamespaceLabels(candidate)));
    }

    /// <summary>The labels the platform puts on a tenant's namespace.</summary>
    private static ImmutableDictionary<string, string> NamespaceLabels(string tenant) => new Dictionary<string, string>
    {
        [Tenants.NamespaceNameLabel] = TenantConventions.NamespacePrefix + tenant,
        [TenantConventions.LabelKey] = tenant,
        [Tenants.PodSecurityEnforceLabel] = "restricted",
        ["pod-security.kubernetes.io/audit"] = "restricted",
        ["pod-security.kubernetes.io/warn"] = "restricted",
    }.ToImmutableDictionary(StringComparer.Ordinal);
}
