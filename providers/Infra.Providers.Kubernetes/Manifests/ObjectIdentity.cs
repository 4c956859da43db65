using Infra.Values;

namespace Infra.Providers.Kubernetes.Manifests;

/// <summary>
/// What names one Kubernetes object: API group, version, kind, namespace and name; and where its manifest lives in a
/// stack's GitOps folder.
/// </summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The API version within the group.</param>
/// <param name="Kind">The kind.</param>
/// <param name="Namespace">The namespace, or <see langword="null"/> for a cluster-scoped object.</param>
/// <param name="Name">The object's name.</param>
internal sealed record ObjectIdentity(string Group, string Version, string Kind, string? Namespace, string Name)
{
    /// <summary>The folder of cluster-scoped objects in a stack's GitOps folder.</summary>
    public const string ClusterFolder = "_cluster";

    /// <summary>The <c>apiVersion</c> field: <c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>
    /// The manifest's path relative to the stack folder: <c>&lt;namespace or _cluster&gt;/&lt;kind&gt;-&lt;name&gt;.yaml</c>,
    /// lower-case. It is the object's ID in GitOps mode, so it must never depend on anything but the identity.
    /// </summary>
    public string RelativePath => $"{Namespace ?? ClusterFolder}/{Kind.ToLowerInvariant()}-{Name}.yaml";

    /// <summary>A short description for messages: <c>Deployment 'tenant-acme/web'</c>.</summary>
    public string Describe() => Namespace is null ? $"{Kind} '{Name}'" : $"{Kind} '{Namespace}/{Name}'";

    /// <summary>Reads the identity of a fully known manifest.</summary>
    /// <exception cref="InvalidDataException">A required field is missing or not a string.</exception>
    public static ObjectIdentity Of(PropertyMap manifest)
    {
        var apiVersion = manifest.GetString("apiVersion") ?? throw new InvalidDataException("'apiVersion' is required, e.g. 'apps/v1'.");
        var kind = manifest.GetString("kind") ?? throw new InvalidDataException("'kind' is required, e.g. 'Deployment'.");
        var metadata = manifest.GetValueOrDefault("metadata")?.Unwrapped;
        if (metadata is null || metadata.Kind != PropertyValueKind.Object)
        {
            throw new InvalidDataException("'metadata' is required and must be an object with at least a name.");
        }

        var name = metadata.AsObject.GetString("name") ?? throw new InvalidDataException("'metadata.name' is required.");
        var ns = metadata.AsObject.GetString("namespace");
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return new ObjectIdentity(group, version, kind, string.IsNullOrEmpty(ns) ? null : ns, name);
    }
}
