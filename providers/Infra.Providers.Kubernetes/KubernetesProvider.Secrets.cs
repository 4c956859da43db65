using System.Collections.Immutable;
using System.Text;
using Infra.Providers.Kubernetes.Cluster;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Providers.Kubernetes.Secrets;
using Infra.Values;

namespace Infra.Providers.Kubernetes;

public sealed partial class KubernetesProvider
{
    /// <summary>The output holding the SealedSecret written to git (ciphertext only).</summary>
    internal const string SealedSecretOutput = "sealedSecret";

    /// <summary>The output that says whether the secret outside (git or cluster) still holds what infra wrote.</summary>
    internal const string InSyncOutput = "inSync";

    private PropertyMap CheckSecret(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        var metadata = inputs.GetValueOrDefault("metadata");
        if (metadata is null || (metadata.IsFullyKnown && ManifestValues.Metadata(inputs)?.GetString("name") is null))
        {
            failures.Add(new CheckFailure("metadata.name", "is required: the name of the Secret."));
            return inputs;
        }

        inputs = inputs.SetItem("apiVersion", PropertyValue.Create("v1")).SetItem("kind", PropertyValue.Create("Secret"));
        if (!inputs.ContainsKey("type"))
        {
            inputs = inputs.SetItem("type", PropertyValue.Create("Opaque"));
        }

        if (ManifestValues.IdentityKnown(inputs))
        {
            inputs = CheckIdentity(inputs, failures);
        }

        var values = inputs.GetValueOrDefault("stringData")?.Unwrapped;
        if (values is null || (values.IsFullyKnown && values.Kind != PropertyValueKind.Object))
        {
            failures.Add(new CheckFailure("stringData", "is required: a map from key to secret value."));
            return inputs;
        }

        if (values.Kind == PropertyValueKind.Object)
        {
            // Every value is a secret, whether or not the program marked it: state encrypts it and plans mask it.
            var secret = PropertyMap.CreateBuilder();
            foreach (var (key, value) in values.AsObject)
            {
                if (value.IsFullyKnown && !value.TryGetString(out _))
                {
                    failures.Add(new CheckFailure($"stringData.{key}", "must be a string."));
                }

                secret[key] = value.IsUnknown ? value : PropertyValue.Secret(value);
            }

            inputs = inputs.SetItem("stringData", PropertyValue.Create(secret.ToPropertyMap()));
        }

        if (IsGitOps && Settings.SealedSecretsCertificateProblem is { } certificateProblem)
        {
            failures.Add(new CheckFailure("stringData", $"GitOps mode seals secrets with config 'kubernetes:sealedSecretsCert', which {certificateProblem}"));
        }
        else if (IsGitOps && Settings.SealedSecretsCertificate is null)
        {
            failures.Add(new CheckFailure("stringData",
                "GitOps mode seals secrets for the cluster's Sealed Secrets controller; set config 'kubernetes:sealedSecretsCert' to its certificate ('kubeseal --fetch-cert')."));
        }

        return inputs;
    }

    private async Task<CreateResponse> CreateSecretAsync(string urn, PropertyMap inputs, CancellationToken cancellationToken)
    {
        if (IsGitOps)
        {
            var sealedSecret = Seal(inputs);
            // A crash may have left this secret's file behind; its ciphertext can never match a fresh seal, so the
            // same name, template and keys count as the same object.
            await GitOps.CreateAsync(urn, [sealedSecret], cancellationToken, SameSealedSecret).ConfigureAwait(false);
            return new CreateResponse(ObjectIdentity.Of(sealedSecret).RelativePath, SecretOutputs(inputs, sealedSecret, inSync: true));
        }

        var identity = ObjectIdentity.Of(inputs);
        var cluster = _cluster.Value;
        if (await cluster.ReadAsync(identity, cancellationToken).ConfigureAwait(false) is { } existing && !ClusterObjectStore.ManagedByInfra(existing))
        {
            throw new ResourceException(urn,
                $"{identity.Describe()} already exists in the cluster and infra does not manage it; import it with ID '{ClusterObjectStore.IdOf(identity)}' or delete it.");
        }

        await cluster.ApplyAsync(PlainSecret(inputs), cancellationToken).ConfigureAwait(false);
        return new CreateResponse(ClusterObjectStore.IdOf(identity), SecretOutputs(inputs, null, inSync: true));
    }

    private async Task<ReadResponse> ReadSecretAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        var recorded = request.Outputs ?? request.Inputs;
        if (recorded is null || !recorded.IsFullyKnown || !ManifestValues.IdentityKnown(recorded))
        {
            return ReadResponse.Indeterminate;
        }

        var inputs = request.Inputs ?? recorded;
        if (IsGitOps)
        {
            var path = request.Id is { Length: > 0 } id ? id : SealedIdentity(recorded).RelativePath;
            var written = await GitOps.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                return ReadResponse.NotFound;
            }

            var expected = request.Outputs?.GetValueOrDefault(SealedSecretOutput);
            var inSync = expected is not null && expected.Equals(PropertyValue.Create(written));
            return ReadResponse.Found(path, inputs, SecretOutputs(inputs, written, inSync));
        }

        var identity = ObjectIdentity.Of(recorded);
        var live = await _cluster.Value.ReadAsync(identity, cancellationToken).ConfigureAwait(false);
        return live is null
            ? ReadResponse.NotFound
            : ReadResponse.Found(ClusterObjectStore.IdOf(identity), inputs, SecretOutputs(inputs, null, LiveSecretMatches(live, inputs)));
    }

    private async Task<UpdateResponse> UpdateSecretAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        if (IsGitOps)
        {
            var sealedSecret = Seal(request.NewInputs);
            var path = ObjectIdentity.Of(sealedSecret).RelativePath;
            await GitOps.ReplaceAsync([sealedSecret], request.Id == path || request.Id.Length == 0 ? [] : [request.Id], cancellationToken)
                .ConfigureAwait(false);
            return new UpdateResponse(SecretOutputs(request.NewInputs, sealedSecret, inSync: true));
        }

        await _cluster.Value.ApplyAsync(PlainSecret(request.NewInputs), cancellationToken).ConfigureAwait(false);
        return new UpdateResponse(SecretOutputs(request.NewInputs, null, inSync: true));
    }

    private async Task DeleteSecretAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        if (IsGitOps)
        {
            var path = request.Id.Length > 0 ? request.Id : SealedIdentity(request.Inputs).RelativePath;
            await GitOps.DeleteAsync([path], cancellationToken).ConfigureAwait(false);
            return;
        }

        await _cluster.Value.DeleteAsync(ObjectIdentity.Of(request.Inputs), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SealedSecret for a secret's inputs: every value sealed, the Secret's metadata and type as its template.</summary>
    private PropertyMap Seal(PropertyMap inputs)
    {
        var sealer = new SealedSecretSealer(Settings.SealedSecretsCertificate!);
        var identity = ObjectIdentity.Of(inputs);
        var encrypted = PropertyMap.CreateBuilder();
        foreach (var (key, value) in inputs["stringData"].Unwrapped.AsObject)
        {
            encrypted[key] = PropertyValue.Create(sealer.Seal(identity.Namespace!, identity.Name, value.Unwrapped.AsString));
        }

        var metadata = ManifestValues.Metadata(inputs)!;
        var template = PropertyMap.CreateBuilder()
            .Add("metadata", PropertyValue.Create(metadata))
            .Add("type", inputs["type"])
            .ToPropertyMap();
        return PropertyMap.CreateBuilder()
            .Add("apiVersion", PropertyValue.Create("bitnami.com/v1alpha1"))
            .Add("kind", PropertyValue.Create("SealedSecret"))
            .Add("metadata", PropertyValue.Create(metadata))
            .Add("spec", PropertyValue.Create(PropertyMap.CreateBuilder()
                .Add("encryptedData", PropertyValue.Create(encrypted.ToPropertyMap()))
                .Add("template", PropertyValue.Create(template))
                .ToPropertyMap()))
            .ToPropertyMap();
    }

    private static ObjectIdentity SealedIdentity(PropertyMap inputs) =>
        ObjectIdentity.Of(inputs) with { Group = "bitnami.com", Version = "v1alpha1", Kind = "SealedSecret" };

    private static bool SameSealedSecret(PropertyMap existing, PropertyMap declared)
    {
        static PropertyMap WithoutCiphertext(PropertyMap sealedSecret)
        {
            if (sealedSecret.GetValueOrDefault("spec") is not { Kind: PropertyValueKind.Object } spec ||
                spec.AsObject.GetValueOrDefault("encryptedData") is not { Kind: PropertyValueKind.Object } data)
            {
                return sealedSecret;
            }

            var keysOnly = PropertyMap.Create(data.AsObject.Select(static kv => KeyValuePair.Create(kv.Key, PropertyValue.Null)));
            return sealedSecret.SetItem("spec", PropertyValue.Create(spec.AsObject.SetItem("encryptedData", PropertyValue.Create(keysOnly))));
        }

        return WithoutCiphertext(existing).Equals(WithoutCiphertext(declared));
    }

    private static PropertyMap SecretOutputs(PropertyMap inputs, PropertyMap? sealedSecret, bool inSync)
    {
        var outputs = inputs.SetItem(InSyncOutput, PropertyValue.Create(inSync));
        return sealedSecret is null ? outputs : outputs.SetItem(SealedSecretOutput, PropertyValue.Create(sealedSecret));
    }

    private static PropertyMap PlainSecret(PropertyMap inputs) =>
        inputs.SetItem("stringData", inputs["stringData"].RevealAll()).Remove(InSyncOutput).Remove(SealedSecretOutput);

    private static bool LiveSecretMatches(PropertyMap live, PropertyMap inputs)
    {
        var declared = inputs["stringData"].Unwrapped.AsObject;
        if (live.GetValueOrDefault("data")?.Unwrapped is not { Kind: PropertyValueKind.Object } data || data.AsObject.Count != declared.Count)
        {
            return declared.Count == 0;
        }

        foreach (var (key, value) in declared)
        {
            if (data.AsObject.GetString(key) is not { } encoded ||
                Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) != value.Unwrapped.AsString)
            {
                return false;
            }
        }

        return true;
    }
}
