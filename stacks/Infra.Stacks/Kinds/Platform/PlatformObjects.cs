using Infra.Providers.Kubernetes;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>Builds the manifests of the platform stack's own objects: metadata first, then the kind's fields.</summary>
internal static class PlatformObjects
{
    /// <summary>The label every object of the shared layer carries, for selection and for audits.</summary>
    public static readonly IReadOnlyDictionary<string, string> PartOf = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/part-of"] = "infra-platform",
        ["app.kubernetes.io/managed-by"] = "infra",
    };

    /// <summary>A manifest with name, namespace (none for cluster-scoped kinds), labels and fields.</summary>
    public static Dictionary<string, object?> Manifest(string apiVersion, string kind, string name, string? ns,
        IReadOnlyDictionary<string, string>? labels, params (string Key, object? Value)[] fields)
    {
        var metadata = Map(("name", name));
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        metadata["labels"] = PartOf.Concat(labels ?? new Dictionary<string, string>())
            .GroupBy(static l => l.Key, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => (object?)g.Last().Value, StringComparer.Ordinal);
        var manifest = Map(("apiVersion", apiVersion), ("kind", kind), ("metadata", metadata));
        foreach (var (key, value) in fields)
        {
            manifest[key] = value;
        }

        return manifest;
    }

    /// <summary>Declares an object of the shared layer.</summary>
    public static KubernetesObject DeclareObject(string name, Dictionary<string, object?> manifest, CustomResourceOptions? options = null) =>
        new(name, new KubernetesObjectArgs { Manifest = manifest }, options);

    /// <summary>A map from entries, in order.</summary>
    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(static e => e.Key, static e => e.Value, StringComparer.Ordinal);
}
