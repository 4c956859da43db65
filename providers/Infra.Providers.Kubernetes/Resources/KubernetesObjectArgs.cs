using System.Collections;
using System.Text.Json.Nodes;
using Infra.Values;
using k8s;

namespace Infra.Providers.Kubernetes;

/// <summary>
/// Args for <see cref="KubernetesObject"/>: the object itself (<c>apiVersion</c>, <c>kind</c>, <c>metadata</c> and the
/// rest, such as <c>spec</c> or <c>data</c>), and optionally the namespace to put it in.
/// </summary>
/// <example>
/// <code>
/// new KubernetesObject("config", new KubernetesObjectArgs
/// {
///     Manifest = new Dictionary&lt;string, object?&gt;
///     {
///         ["apiVersion"] = "v1",
///         ["kind"] = "ConfigMap",
///         ["metadata"] = new Dictionary&lt;string, object?&gt; { ["name"] = "branding" },
///         ["data"] = new Dictionary&lt;string, object?&gt; { ["primaryColor"] = tenant.PrimaryColor },
///     },
///     Namespace = "tenant-acme",
/// });
/// </code>
/// </example>
public sealed record KubernetesObjectArgs
{
    /// <summary>
    /// The object. Values may be plain values, <see cref="Output{T}"/>s or inputs at any depth, nested dictionaries and
    /// lists, <see cref="PropertyValue"/>s or JSON nodes.
    /// </summary>
    public required IReadOnlyDictionary<string, object?> Manifest { get; init; }

    /// <summary>The namespace, used when the manifest's <c>metadata</c> names none. Ignored for cluster-scoped kinds.</summary>
    public Input<string>? Namespace { get; init; }

    /// <summary>Args from one of KubernetesClient's typed models, e.g. a <c>V1Deployment</c>, checked by the compiler.</summary>
    public static KubernetesObjectArgs FromModel(IKubernetesObject model, Input<string>? ns = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return FromJson(KubernetesJson.Serialize(model), ns);
    }

    /// <summary>Args from a JSON object.</summary>
    /// <exception cref="InfraException">The text is not a JSON object.</exception>
    public static KubernetesObjectArgs FromJson(string json, Input<string>? ns = null)
    {
        PropertyMap map;
        try
        {
            map = PropertyJson.ParseMap(json, PropertyJsonMode.Plaintext);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InfraException($"a Kubernetes manifest must be a JSON object: {ex.Message}");
        }

        return new KubernetesObjectArgs { Manifest = map.ToDictionary(static kv => kv.Key, static kv => (object?)kv.Value), Namespace = ns };
    }

    /// <summary>The property bag the provider receives: the manifest, with the namespace merged into its metadata.</summary>
    internal Dictionary<string, object?> ToInputs()
    {
        var inputs = new Dictionary<string, object?>(Manifest, StringComparer.Ordinal);
        if (Namespace is null)
        {
            return inputs;
        }

        var metadata = inputs.GetValueOrDefault("metadata") switch
        {
            null => new Dictionary<string, object?>(StringComparer.Ordinal),
            PropertyValue { Kind: PropertyValueKind.Object } value => value.AsObject.ToDictionary(static kv => kv.Key, static kv => (object?)kv.Value, StringComparer.Ordinal),
            JsonObject json => PropertyJson.ParseMap(json.ToJsonString(), PropertyJsonMode.Plaintext)
                .ToDictionary(static kv => kv.Key, static kv => (object?)kv.Value, StringComparer.Ordinal),
            IReadOnlyDictionary<string, object?> map => new Dictionary<string, object?>(map, StringComparer.Ordinal),
            IDictionary dictionary => CopyOf(dictionary),
            _ => throw new InfraException("KubernetesObjectArgs.Namespace needs 'metadata' as a map; when metadata is an output, put the namespace in it."),
        };
        if (!metadata.ContainsKey("namespace"))
        {
            metadata["namespace"] = Namespace;
        }

        inputs["metadata"] = metadata;
        return inputs;
    }

    private static Dictionary<string, object?> CopyOf(IDictionary dictionary)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dictionary)
        {
            copy[entry.Key as string ?? throw new InfraException("manifest metadata keys must be strings.")] = entry.Value;
        }

        return copy;
    }
}
