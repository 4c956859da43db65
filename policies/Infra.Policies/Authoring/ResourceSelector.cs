using System.Collections.Immutable;
using Infra.Policies.Kubernetes;
using Infra.Policy;

namespace Infra.Policies;

/// <summary>
/// Which resources a <see cref="ResourcePolicy"/> looks at: by type token (<c>postgres:index:Database</c>), by
/// Kubernetes kind (read from the object's own <c>apiVersion</c> and <c>kind</c>, whatever its type token), or by a
/// predicate. Combine with <see cref="Or"/>.
/// </summary>
public sealed class ResourceSelector
{
    private readonly Func<PolicyResource, bool> _matches;

    private ResourceSelector(string description, Func<PolicyResource, bool> matches)
    {
        Description = description;
        _matches = matches;
    }

    /// <summary>Every resource.</summary>
    public static ResourceSelector All { get; } = new("all resources", static _ => true);

    /// <summary>What the selector matches, for listings.</summary>
    public string Description { get; }

    /// <summary>
    /// Resources whose type token is one of <paramref name="typeTokens"/>. A token ending in <c>*</c> matches by prefix,
    /// e.g. <c>postgres:*</c> for every resource of the postgres provider.
    /// </summary>
    public static ResourceSelector Type(params string[] typeTokens)
    {
        ArgumentNullException.ThrowIfNull(typeTokens);
        if (typeTokens.Length == 0 || typeTokens.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one non-empty type token.", nameof(typeTokens));
        }

        var exact = typeTokens.Where(static t => !t.EndsWith('*')).ToImmutableHashSet(StringComparer.Ordinal);
        var prefixes = typeTokens.Where(static t => t.EndsWith('*')).Select(static t => t[..^1]).ToImmutableArray();
        return new ResourceSelector(
            string.Join(", ", typeTokens),
            r => exact.Contains(r.Type) || prefixes.Any(p => r.Type.StartsWith(p, StringComparison.Ordinal)));
    }

    /// <summary>
    /// Kubernetes objects of the given kinds, whatever their type token: the object's <c>apiVersion</c> and <c>kind</c>
    /// inputs decide (or, when the inputs lack them, a <c>kubernetes:&lt;group&gt;/&lt;version&gt;:&lt;Kind&gt;</c> token).
    /// A kind is written <c>Deployment</c> (any API group) or qualified as <c>Kind.group</c> the way kubectl does,
    /// e.g. <c>NetworkPolicy.networking.k8s.io</c>; the core group is the empty group (<c>Namespace</c>).
    /// </summary>
    public static ResourceSelector KubernetesKind(params string[] kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Length == 0 || kinds.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Give at least one non-empty kind.", nameof(kinds));
        }

        var wanted = kinds.Select(static k =>
        {
            var dot = k.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? (Kind: k, Group: (string?)null) : (Kind: k[..dot], Group: k[(dot + 1)..]);
        }).ToImmutableArray();
        return new ResourceSelector(
            "Kubernetes " + string.Join(", ", kinds),
            r => KubernetesObject.From(r) is { } o && wanted.Any(w => w.Kind == o.Kind && (w.Group is null || w.Group == o.Group)));
    }

    /// <summary>Kubernetes objects that run pods: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and CronJob.</summary>
    public static ResourceSelector KubernetesWorkloads { get; } = new(
        "Kubernetes workloads (" + string.Join(", ", Kubernetes.PodTemplate.WorkloadKinds) + ")",
        static r => KubernetesObject.From(r)?.IsWorkload == true);

    /// <summary>Resources for which <paramref name="predicate"/> is true.</summary>
    public static ResourceSelector Where(string description, Func<PolicyResource, bool> predicate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(predicate);
        return new ResourceSelector(description, predicate);
    }

    /// <summary>Resources either selector matches.</summary>
    public ResourceSelector Or(ResourceSelector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ResourceSelector($"{Description}; {other.Description}", r => Matches(r) || other.Matches(r));
    }

    /// <summary>True when the policy should look at <paramref name="resource"/>.</summary>
    public bool Matches(PolicyResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return _matches(resource);
    }

    /// <summary>The description.</summary>
    public override string ToString() => Description;
}
