using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Infra.Providers.Kubernetes.Cluster;

/// <summary>
/// Kubernetes objects in a live cluster: applied with server-side apply under the field manager <c>infra</c>, read
/// back for refresh, and deleted with foreground propagation (the call returns when the object and its dependents
/// are gone). Any kind works: built-in kinds resolve through KubernetesClient's models, custom resources through
/// their CustomResourceDefinition.
/// </summary>
internal sealed class ClusterObjectStore : IDisposable
{
    /// <summary>The field manager of every apply.</summary>
    public const string FieldManager = "infra";

    private readonly k8s.Kubernetes _client;
    private readonly ConcurrentDictionary<(string Group, string Kind), Task<(string Plural, bool Namespaced)>> _resources = new();

    public ClusterObjectStore(KubernetesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(settings.Kubeconfig, settings.Context);
        _client = new k8s.Kubernetes(configuration, new CoreGroupPathHandler());
    }

    /// <summary>The object's ID in cluster mode: <c>apiVersion:kind:namespace/name</c> (no namespace part when cluster-scoped).</summary>
    public static string IdOf(ObjectIdentity identity) =>
        $"{identity.ApiVersion}:{identity.Kind}:{(identity.Namespace is null ? string.Empty : identity.Namespace + "/")}{identity.Name}";

    /// <summary>Parses an ID made by <see cref="IdOf"/>.</summary>
    public static ObjectIdentity? ParseId(string id)
    {
        var parts = id.Split(':');
        if (parts.Length != 3)
        {
            return null;
        }

        var slash = parts[0].IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? (string.Empty, parts[0]) : (parts[0][..slash], parts[0][(slash + 1)..]);
        var names = parts[2].Split('/');
        return names.Length == 2
            ? new ObjectIdentity(group, version, parts[1], names[0], names[1])
            : new ObjectIdentity(group, version, parts[1], null, names[0]);
    }

    /// <summary>Reads the live object, or <see langword="null"/> when it does not exist.</summary>
    public async Task<PropertyMap?> ReadAsync(ObjectIdentity identity, CancellationToken cancellationToken)
    {
        var (plural, namespaced) = await ResourceOfAsync(identity, cancellationToken).ConfigureAwait(false);
        try
        {
            var live = namespaced
                ? await _client.CustomObjects.GetNamespacedCustomObjectAsync(identity.Group, identity.Version, identity.Namespace!, plural, identity.Name, cancellationToken).ConfigureAwait(false)
                : await _client.CustomObjects.GetClusterCustomObjectAsync(identity.Group, identity.Version, plural, identity.Name, cancellationToken).ConfigureAwait(false);
            return ToMap(live);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>True when the live object exists and the field manager <c>infra</c> owns some of its fields.</summary>
    public static bool ManagedByInfra(PropertyMap live) =>
        ManifestValues.Metadata(live)?.GetValueOrDefault("managedFields") is { Kind: PropertyValueKind.Array } managed &&
        managed.AsArray.Any(static entry => entry.Kind == PropertyValueKind.Object && entry.AsObject.GetString("manager") == FieldManager);

    /// <summary>Applies the manifest with server-side apply and returns the live object.</summary>
    public async Task<PropertyMap> ApplyAsync(PropertyMap manifest, CancellationToken cancellationToken)
    {
        var identity = ObjectIdentity.Of(manifest);
        var (plural, namespaced) = await ResourceOfAsync(identity, cancellationToken).ConfigureAwait(false);
        var patch = new V1Patch(PropertyJson.ToJson(manifest.RevealAll(), PropertyJsonMode.Plaintext), V1Patch.PatchType.ApplyPatch);
        var live = namespaced
            ? await _client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, identity.Group, identity.Version, identity.Namespace!, plural, identity.Name,
                fieldManager: FieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await _client.CustomObjects.PatchClusterCustomObjectAsync(patch, identity.Group, identity.Version, plural, identity.Name,
                fieldManager: FieldManager, force: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ToMap(live);
    }

    /// <summary>Deletes with foreground propagation and waits until the object is gone. A missing object succeeds.</summary>
    public async Task DeleteAsync(ObjectIdentity identity, CancellationToken cancellationToken)
    {
        var (plural, namespaced) = await ResourceOfAsync(identity, cancellationToken).ConfigureAwait(false);
        var options = new V1DeleteOptions { PropagationPolicy = "Foreground" };
        try
        {
            _ = namespaced
                ? await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(identity.Group, identity.Version, identity.Namespace!, plural, identity.Name,
                    body: options, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await _client.CustomObjects.DeleteClusterCustomObjectAsync(identity.Group, identity.Version, plural, identity.Name,
                    body: options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        // Foreground deletion keeps the object (with a finalizer) until its dependents are gone: wait for that.
        while (await ReadAsync(identity, cancellationToken).ConfigureAwait(false) is not null)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private Task<(string Plural, bool Namespaced)> ResourceOfAsync(ObjectIdentity identity, CancellationToken cancellationToken)
    {
        if (KubernetesSchema.PluralOf(identity.ApiVersion, identity.Kind) is { } plural)
        {
            return Task.FromResult((plural, !KubernetesSchema.IsClusterScoped(identity.Kind)));
        }

        return _resources.GetOrAdd((identity.Group, identity.Kind), key => FindCustomResourceAsync(key.Group, key.Kind, cancellationToken));
    }

    private async Task<(string Plural, bool Namespaced)> FindCustomResourceAsync(string group, string kind, CancellationToken cancellationToken)
    {
        var definitions = await _client.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var definition = definitions.Items.FirstOrDefault(d => d.Spec.Group == group && d.Spec.Names.Kind == kind)
            ?? throw new InfraException($"the cluster has no kind '{kind}' in API group '{group}'; install its CustomResourceDefinition first.");
        return (definition.Spec.Names.Plural, definition.Spec.Scope == "Namespaced");
    }

    private static PropertyMap ToMap(object? live)
    {
        var json = live switch
        {
            JsonElement element => element.GetRawText(),
            null => "{}",
            _ => KubernetesJson.Serialize(live),
        };
        return PropertyJson.ParseMap(json, PropertyJsonMode.Plaintext);
    }

    /// <summary>
    /// The custom-objects API builds <c>/apis/{group}/{version}</c> paths; the core group lives at <c>/api/{version}</c>.
    /// Rewriting the empty-group path lets one code path serve every kind.
    /// </summary>
    private sealed class CoreGroupPathHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri && uri.AbsolutePath.Contains("/apis//", StringComparison.Ordinal))
            {
                var builder = new UriBuilder(uri) { Path = uri.AbsolutePath.Replace("/apis//", "/api/", StringComparison.Ordinal) };
                request.RequestUri = builder.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
