using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Infra.Providers.Kubernetes.Cluster;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Providers.Kubernetes;

public sealed partial class KubernetesProvider
{
    private PropertyMap CheckObject(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        foreach (var (key, example) in new[] { ("apiVersion", "apps/v1"), ("kind", "Deployment") })
        {
            if (inputs.GetValueOrDefault(key) is not { } value)
            {
                failures.Add(new CheckFailure(key, $"is required, e.g. '{example}'."));
            }
            else if (value.IsFullyKnown && !value.TryGetString(out _))
            {
                failures.Add(new CheckFailure(key, "must be a string."));
            }
        }

        var metadata = inputs.GetValueOrDefault("metadata");
        if (metadata is null || (metadata.IsFullyKnown && metadata.Unwrapped.Kind != PropertyValueKind.Object))
        {
            failures.Add(new CheckFailure("metadata", "is required: an object with at least 'name'."));
            return inputs;
        }

        if (failures.Count == 0 && ManifestValues.IdentityKnown(inputs))
        {
            inputs = CheckIdentity(inputs, failures);
        }

        if (IsGitOps)
        {
            CheckNoPlaintextSecrets(inputs, failures);
        }

        if (failures.Count == 0 && inputs.IsFullyKnown && KubernetesSchema.Validate(inputs) is var (path, reason))
        {
            failures.Add(new CheckFailure(path, reason));
        }

        return inputs;
    }

    /// <summary>Checks name and namespace, and gives a namespaced built-in object the default namespace.</summary>
    internal PropertyMap CheckIdentity(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        ObjectIdentity identity;
        try
        {
            identity = ObjectIdentity.Of(inputs);
        }
        catch (InvalidDataException ex)
        {
            failures.Add(new CheckFailure("metadata", ex.Message));
            return inputs;
        }

        if (!ObjectName().IsMatch(identity.Name))
        {
            failures.Add(new CheckFailure("metadata.name", $"{ErrorText.Quote(identity.Name)} is not a valid object name: up to 253 letters, digits, '-', '.' or ':', starting and ending with a letter or digit."));
        }

        if (KubernetesSchema.IsClusterScoped(identity.Kind))
        {
            if (identity.Namespace is not null)
            {
                failures.Add(new CheckFailure("metadata.namespace", $"{identity.Kind} is cluster-scoped; remove the namespace."));
            }
        }
        else if (identity.Namespace is null && KubernetesSchema.IsBuiltIn(identity.ApiVersion, identity.Kind))
        {
            inputs = ManifestValues.WithNamespace(inputs, Settings.DefaultNamespace);
        }
        else if (identity.Namespace is { } ns && !ObjectName().IsMatch(ns))
        {
            failures.Add(new CheckFailure("metadata.namespace", $"{ErrorText.Quote(ns)} is not a valid namespace name."));
        }

        return inputs;
    }

    private static void CheckNoPlaintextSecrets(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        foreach (var path in ManifestValues.SecretPaths(PropertyValue.Create(inputs)))
        {
            failures.Add(new CheckFailure(path,
                "is a secret, and GitOps mode never writes secrets to git in plaintext; put secret values in a KubernetesSecret (sealed for the cluster) and reference it by name."));
        }

        if (inputs.GetString("apiVersion") == "v1" && inputs.GetString("kind") == "Secret" &&
            (HasEntries(inputs, "data") || HasEntries(inputs, "stringData")))
        {
            failures.Add(new CheckFailure("data",
                "a v1 Secret with values would be written to git in plaintext; declare it as a KubernetesSecret, which GitOps mode writes as a SealedSecret."));
        }
    }

    private static bool HasEntries(PropertyMap inputs, string key) =>
        inputs.GetValueOrDefault(key) is { } value && !(value.Kind == PropertyValueKind.Object && value.AsObject.Count == 0) && !value.IsNull;

    private async Task<CreateResponse> CreateObjectAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        var identity = ObjectIdentity.Of(inputs);
        if (IsGitOps)
        {
            await GitOps.CreateAsync(urn, [inputs], cancellationToken).ConfigureAwait(false);
            return new CreateResponse(identity.RelativePath, inputs);
        }

        var cluster = _cluster.Value;
        if (await cluster.ReadAsync(identity, cancellationToken).ConfigureAwait(false) is { } existing && !ClusterObjectStore.ManagedByInfra(existing))
        {
            throw new ResourceException(urn,
                $"{identity.Describe()} already exists in the cluster and infra does not manage it; import it with ID '{ClusterObjectStore.IdOf(identity)}' or delete it.");
        }

        var live = await cluster.ApplyAsync(inputs, cancellationToken).ConfigureAwait(false);
        return new CreateResponse(ClusterObjectStore.IdOf(identity), LiveOutputs(live, inputs));
    }

    private async Task<ReadResponse> ReadObjectAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        var declared = request.Inputs is { } inputs && inputs.IsFullyKnown && ManifestValues.IdentityKnown(inputs) ? TryIdentity(inputs) : null;
        if (IsGitOps)
        {
            // Without an ID (a create a crash interrupted) the deterministic path still finds the file.
            var path = request.Id is { Length: > 0 } id ? id : declared?.RelativePath;
            if (path is null)
            {
                return ReadResponse.Indeterminate;
            }

            var manifest = await GitOps.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            return manifest is null ? ReadResponse.NotFound : ReadResponse.Found(path, manifest, manifest);
        }

        var identity = request.Id is { Length: > 0 } clusterId ? ClusterObjectStore.ParseId(clusterId) : declared;
        if (identity is null)
        {
            return ReadResponse.Indeterminate;
        }

        var live = await _cluster.Value.ReadAsync(identity, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            return ReadResponse.NotFound;
        }

        var outputs = LiveOutputs(live, request.Inputs);
        return ReadResponse.Found(ClusterObjectStore.IdOf(identity), request.Inputs ?? outputs.Remove("status"), outputs);
    }

    private async Task<UpdateResponse> UpdateObjectAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        if (IsGitOps)
        {
            var path = ObjectIdentity.Of(request.NewInputs).RelativePath;
            await GitOps.ReplaceAsync([request.NewInputs], request.Id == path || request.Id.Length == 0 ? [] : [request.Id], cancellationToken)
                .ConfigureAwait(false);
            return new UpdateResponse(request.NewInputs);
        }

        var live = await _cluster.Value.ApplyAsync(request.NewInputs, cancellationToken).ConfigureAwait(false);
        return new UpdateResponse(LiveOutputs(live, request.NewInputs));
    }

    private async Task DeleteObjectAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        if (IsGitOps)
        {
            var path = request.Id.Length > 0 ? request.Id : ObjectIdentity.Of(request.Inputs).RelativePath;
            await GitOps.DeleteAsync([path], cancellationToken).ConfigureAwait(false);
            return;
        }

        var identity = ClusterObjectStore.ParseId(request.Id) ?? ObjectIdentity.Of(request.Inputs);
        await _cluster.Value.DeleteAsync(identity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The live object as outputs: without the managed-fields bookkeeping, and with a Secret's values kept secret.</summary>
    private static PropertyMap LiveOutputs(PropertyMap live, PropertyMap? inputs)
    {
        if (ManifestValues.Metadata(live) is { } metadata)
        {
            live = live.SetItem("metadata", PropertyValue.Create(metadata.Remove("managedFields")));
        }

        if (live.GetString("kind") == "Secret" || (inputs?.ContainsSecrets ?? false))
        {
            foreach (var key in new[] { "data", "stringData" })
            {
                if (live.GetValueOrDefault(key) is { } values)
                {
                    live = live.SetItem(key, PropertyValue.Secret(values));
                }
            }
        }

        return live;
    }

    private static ObjectIdentity? TryIdentity(PropertyMap manifest)
    {
        try
        {
            return ObjectIdentity.Of(manifest);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9]([-a-zA-Z0-9.:_]{0,251}[a-zA-Z0-9])?\z")]
    private static partial Regex ObjectName();
}
