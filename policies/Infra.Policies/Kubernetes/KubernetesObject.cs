using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Kubernetes;

/// <summary>
/// A resource's inputs read as a Kubernetes object (<c>apiVersion</c>, <c>kind</c>, <c>metadata</c>, <c>spec</c>...).
/// Works for any provider that passes the object itself as inputs, whatever the type token; when the inputs lack
/// <c>apiVersion</c>/<c>kind</c>, a <c>kubernetes:&lt;group&gt;/&lt;version&gt;:&lt;Kind&gt;</c> type token supplies them.
/// </summary>
public sealed class KubernetesObject
{
    private const string TypePackage = "kubernetes:";

    private KubernetesObject(string apiVersion, string kind, PropertyMap inputs)
    {
        ApiVersion = apiVersion;
        Kind = kind;
        Inputs = inputs;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        Group = slash < 0 ? string.Empty : apiVersion[..slash];
        Version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        PodTemplate = PodTemplate.Of(this);
    }

    /// <summary>The API version, e.g. <c>apps/v1</c> or <c>v1</c>.</summary>
    public string ApiVersion { get; }

    /// <summary>The API group; empty for the core group.</summary>
    public string Group { get; }

    /// <summary>The version within the group, e.g. <c>v1</c>.</summary>
    public string Version { get; }

    /// <summary>The kind, e.g. <c>Deployment</c>.</summary>
    public string Kind { get; }

    /// <summary>The kind qualified by its group the way kubectl writes it: <c>Deployment.apps</c>, or <c>Namespace</c> for core.</summary>
    public string GroupKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>The whole object.</summary>
    public PropertyMap Inputs { get; }

    /// <summary><c>metadata.name</c>, or <see langword="null"/> when absent or unknown.</summary>
    public string? Name => Inputs.StringAt("metadata.name");

    /// <summary><c>metadata.namespace</c>, or <see langword="null"/> when absent or unknown.</summary>
    public string? Namespace => Inputs.StringAt("metadata.namespace");

    /// <summary>The known string labels in <c>metadata.labels</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels => Inputs.StringMapAt("metadata.labels");

    /// <summary>True for kinds that run pods (see <see cref="PodTemplate.WorkloadKinds"/>).</summary>
    public bool IsWorkload => PodTemplate.PathFor(GroupKind) is not null;

    /// <summary>The pod template of a workload, or <see langword="null"/> for other kinds or when its pod spec is not known yet.</summary>
    public PodTemplate? PodTemplate { get; }

    /// <summary>Reads <paramref name="resource"/> as a Kubernetes object, or returns <see langword="null"/> when it is not one.</summary>
    public static KubernetesObject? From(PolicyResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return From(resource.Type, resource.Inputs);
    }

    /// <summary>Reads inputs as a Kubernetes object, or returns <see langword="null"/> when they are not one.</summary>
    public static KubernetesObject? From(string type, PropertyMap inputs)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(inputs);
        var apiVersion = inputs.StringAt("apiVersion");
        var kind = inputs.StringAt("kind");
        if ((apiVersion is null || kind is null) && type.StartsWith(TypePackage, StringComparison.Ordinal))
        {
            // kubernetes:apps/v1:Deployment, kubernetes:core/v1:Namespace
            var parts = type.Split(':');
            if (parts.Length == 3)
            {
                apiVersion ??= parts[1].StartsWith("core/", StringComparison.Ordinal) ? parts[1]["core/".Length..] : parts[1];
                kind ??= parts[2];
            }
        }

        return string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind) ? null : new KubernetesObject(apiVersion, kind, inputs);
    }

    /// <summary>The kind and name, e.g. <c>Deployment 'web'</c>.</summary>
    public override string ToString() => $"{Kind} '{Name ?? "?"}'";
}
