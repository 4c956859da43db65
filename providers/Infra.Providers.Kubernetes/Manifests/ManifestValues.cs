using Infra.Values;

namespace Infra.Providers.Kubernetes.Manifests;

/// <summary>Small helpers over manifests held as property maps.</summary>
internal static class ManifestValues
{
    /// <summary>The dotted paths of every secret value inside <paramref name="value"/>.</summary>
    public static IEnumerable<string> SecretPaths(PropertyValue value, string path = "")
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Kind)
        {
            case PropertyValueKind.Secret:
                yield return path;
                break;
            case PropertyValueKind.Object:
                foreach (var (key, item) in value.AsObject)
                {
                    foreach (var inner in SecretPaths(item, path.Length == 0 ? key : $"{path}.{key}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case PropertyValueKind.Array:
                var index = 0;
                foreach (var item in value.AsArray)
                {
                    foreach (var inner in SecretPaths(item, $"{path}[{index++}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    /// <summary>The <c>metadata</c> object, or <see langword="null"/> when absent or not (yet) an object.</summary>
    public static PropertyMap? Metadata(PropertyMap manifest) =>
        manifest.GetValueOrDefault("metadata") is { Kind: PropertyValueKind.Object } metadata ? metadata.AsObject : null;

    /// <summary>Returns the manifest with <c>metadata.namespace</c> set.</summary>
    public static PropertyMap WithNamespace(PropertyMap manifest, string ns)
    {
        var metadata = Metadata(manifest) ?? PropertyMap.Empty;
        return manifest.SetItem("metadata", PropertyValue.Create(metadata.SetItem("namespace", PropertyValue.Create(ns))));
    }

    /// <summary>True when the identity fields (apiVersion, kind, name, namespace) are all known.</summary>
    public static bool IdentityKnown(PropertyMap manifest)
    {
        var metadata = manifest.GetValueOrDefault("metadata");
        return (manifest.GetValueOrDefault("apiVersion")?.IsFullyKnown ?? true) &&
               (manifest.GetValueOrDefault("kind")?.IsFullyKnown ?? true) &&
               metadata is not null && metadata.Kind == PropertyValueKind.Object &&
               (metadata.AsObject.GetValueOrDefault("name")?.IsFullyKnown ?? true) &&
               (metadata.AsObject.GetValueOrDefault("namespace")?.IsFullyKnown ?? true);
    }
}
