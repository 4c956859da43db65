using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using Infra.Values;

namespace Infra.Providers.Kubernetes.Manifests;

/// <summary>
/// The built-in Kubernetes kinds, from KubernetesClient's typed models: which kinds exist, whether they are
/// namespaced, their plural resource names, and a strict check of a manifest against its model, where an unknown
/// or mistyped field fails. Kinds the models do not know (custom resources) pass through as generic objects.
/// </summary>
internal static class KubernetesSchema
{
    // Built-in kinds whose objects live outside namespaces. The models do not carry scope, so it is listed here.
    private static readonly FrozenSet<string> s_clusterScoped = new[]
    {
        "Namespace", "Node", "PersistentVolume", "ComponentStatus", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
        "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "VolumeAttributesClass", "PriorityClass", "RuntimeClass",
        "IngressClass", "IPAddress", "ServiceCIDR", "APIService", "CertificateSigningRequest", "ClusterTrustBundle",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "FlowSchema",
        "PriorityLevelConfiguration", "StorageVersion", "StorageVersionMigration", "DeviceClass", "ResourceSlice",
        "TokenReview", "SelfSubjectReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview",
    }.ToFrozenSet(StringComparer.Ordinal);

    // (apiVersion, kind) -> model type and plural, read once from the models' [KubernetesEntity] attributes.
    private static readonly FrozenDictionary<(string ApiVersion, string Kind), (Type Model, string Plural)> s_models =
        typeof(V1Pod).Assembly.GetTypes()
            .Select(static t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(static e => e.Entity is not null && !e.Entity.Kind.EndsWith("List", StringComparison.Ordinal))
            .GroupBy(static e => (ApiVersion: string.IsNullOrEmpty(e.Entity!.Group) ? e.Entity.ApiVersion : $"{e.Entity.Group}/{e.Entity.ApiVersion}", e.Entity.Kind))
            .ToFrozenDictionary(static g => g.Key, static g => (g.First().Type, g.First().Entity!.PluralName));

    // Strict: an unknown field is an error, and numbers are not read from strings.
    private static readonly JsonSerializerOptions s_strict = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new IntOrStringJsonConverter(), new ResourceQuantityJsonConverter() },
    };

    /// <summary>True when KubernetesClient has a typed model for the kind.</summary>
    public static bool IsBuiltIn(string apiVersion, string kind) => s_models.ContainsKey((apiVersion, kind));

    /// <summary>True when the kind is known to be cluster-scoped.</summary>
    public static bool IsClusterScoped(string kind) => s_clusterScoped.Contains(kind);

    /// <summary>The plural resource name of a built-in kind (for API paths), or <see langword="null"/>.</summary>
    public static string? PluralOf(string apiVersion, string kind) =>
        s_models.TryGetValue((apiVersion, kind), out var model) ? model.Plural : null;

    /// <summary>
    /// Checks a fully known manifest of a built-in kind against its typed model. Returns <see langword="null"/> when
    /// it fits (or the kind is not built in), else the field at fault and a one-line reason.
    /// </summary>
    public static (string Path, string Reason)? Validate(PropertyMap manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var apiVersion = manifest.GetString("apiVersion");
        var kind = manifest.GetString("kind");
        if (apiVersion is null || kind is null || !s_models.TryGetValue((apiVersion, kind), out var model))
        {
            return null;
        }

        var json = PropertyJson.ToJson(manifest.RevealAll(), PropertyJsonMode.Plaintext);
        try
        {
            _ = JsonSerializer.Deserialize(json, model.Model, s_strict);
            return null;
        }
        catch (JsonException ex)
        {
            var path = (ex.Path ?? string.Empty).TrimStart('$', '.');
            var at = path.Length == 0 ? string.Empty : $" at '{path}'";
            return (path, $"does not fit the {apiVersion} {kind} schema{at}: {FirstSentence(ex.Message)}");
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
