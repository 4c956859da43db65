using System.Collections.Immutable;
using Infra.Providers.Kubernetes.Cluster;
using Infra.Providers.Kubernetes.GitOps;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Providers.Kubernetes;

/// <summary>
/// Manages any Kubernetes object (<c>kubernetes:index:Object</c>) and secrets that never reach git in plaintext
/// (<c>kubernetes:index:Secret</c>). In GitOps mode (the default) objects are manifest files in the stack's folder
/// of a git work tree, committed once per update; in cluster mode they are applied with server-side apply.
/// See <see cref="KubernetesSettings"/> for the config keys.
/// </summary>
public sealed partial class KubernetesProvider : IResourceProvider, IUpdateObserver
{
    /// <summary>The package name.</summary>
    public const string PackageName = "kubernetes";

    /// <summary>The type token of <see cref="KubernetesObject"/>.</summary>
    public const string ObjectType = "kubernetes:index:Object";

    /// <summary>The type token of <see cref="KubernetesSecret"/>.</summary>
    public const string SecretType = "kubernetes:index:Secret";

    private readonly ProviderContext _context;
    private readonly Lazy<ClusterObjectStore> _cluster;

    /// <summary>Creates the provider for one operation on one stack.</summary>
    public KubernetesProvider(ProviderContext context, KubernetesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        _context = context;
        Settings = settings;
        GitOps = new GitOpsObjectStore(new GitOpsRepository(settings.GitOpsPath, settings.GitOpsRemote, settings.GitOpsBranch), context.StackName);
        _cluster = new Lazy<ClusterObjectStore>(() => new ClusterObjectStore(settings));
    }

    /// <inheritdoc/>
    public string Package => PackageName;

    /// <summary>The settings in force.</summary>
    public KubernetesSettings Settings { get; }

    internal GitOpsObjectStore GitOps { get; }

    private bool IsGitOps => Settings.Mode == KubernetesMode.GitOps;

    /// <inheritdoc/>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var failures = ImmutableArray.CreateBuilder<CheckFailure>();
        var inputs = request.Type switch
        {
            ObjectType => CheckObject(request.NewInputs, failures),
            SecretType => CheckSecret(request.NewInputs, failures),
            _ => throw UnknownType(request.Urn, request.Type),
        };
        return Task.FromResult(new CheckResponse(inputs, failures.ToImmutable()));
    }

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var diff = DiffResponse.FromInputs(request.OldInputs, request.NewInputs, replaceOnChange: ImmutableHashSet<string>.Empty);
        if (request.Type == SecretType && request.OldOutputs.GetValueOrDefault(InSyncOutput) is { Kind: PropertyValueKind.Bool, AsBool: false })
        {
            // The sealed manifest in git no longer matches what was sealed: seal and write it again.
            diff = new DiffResponse([.. diff.Changed, SealedSecretOutput], diff.Replaces);
        }

        if (!diff.HasChanges)
        {
            return Task.FromResult(DiffResponse.None);
        }

        return Task.FromResult(diff with { Replaces = IdentityChanges(request.OldInputs, request.NewInputs) });
    }

    /// <inheritdoc/>
    public async Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Preview)
        {
            return new CreateResponse(string.Empty, PredictOutputs(request.Type, request.Inputs));
        }

        return request.Type switch
        {
            ObjectType => await CreateObjectAsync(request.Urn, request.Inputs, cancellationToken).ConfigureAwait(false),
            SecretType => await CreateSecretAsync(request.Urn, request.Inputs, cancellationToken).ConfigureAwait(false),
            _ => throw UnknownType(request.Urn, request.Type),
        };
    }

    /// <inheritdoc/>
    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Type switch
        {
            ObjectType => ReadObjectAsync(request, cancellationToken),
            SecretType => ReadSecretAsync(request, cancellationToken),
            _ => throw UnknownType(request.Urn, request.Type),
        };
    }

    /// <inheritdoc/>
    public async Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Preview)
        {
            return new UpdateResponse(PredictOutputs(request.Type, request.NewInputs));
        }

        return request.Type switch
        {
            ObjectType => await UpdateObjectAsync(request, cancellationToken).ConfigureAwait(false),
            SecretType => await UpdateSecretAsync(request, cancellationToken).ConfigureAwait(false),
            _ => throw UnknownType(request.Urn, request.Type),
        };
    }

    /// <inheritdoc/>
    public Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Type switch
        {
            ObjectType => DeleteObjectAsync(request, cancellationToken),
            SecretType => DeleteSecretAsync(request, cancellationToken),
            _ => throw UnknownType(request.Urn, request.Type),
        };
    }

    /// <summary>In GitOps mode, commits the stack's folder once at the end of an update or destroy.</summary>
    public async Task OnUpdateCompletedAsync(UpdateCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (IsGitOps && !_context.IsPreview)
        {
            await GitOps.Repository.CommitAsync(completion, cancellationToken).ConfigureAwait(false);
        }
    }

    private static PropertyMap PredictOutputs(string type, PropertyMap inputs) =>
        type == SecretType ? inputs.SetItem(SealedSecretOutput, PropertyValue.Unknown).SetItem(InSyncOutput, PropertyValue.True) : inputs;

    private static ImmutableArray<string> IdentityChanges(PropertyMap oldInputs, PropertyMap newInputs)
    {
        var changes = ImmutableArray.CreateBuilder<string>();
        if (!ManifestValues.IdentityKnown(newInputs))
        {
            // A name that is not known yet may differ: plan the replacement a different name needs.
            changes.Add("metadata.name");
            return changes.ToImmutable();
        }

        ObjectIdentity before, after;
        try
        {
            (before, after) = (ObjectIdentity.Of(oldInputs), ObjectIdentity.Of(newInputs));
        }
        catch (InvalidDataException)
        {
            return changes.ToImmutable();
        }

        if (before.Group != after.Group)
        {
            changes.Add("apiVersion");
        }

        if (before.Kind != after.Kind)
        {
            changes.Add("kind");
        }

        if (before.Name != after.Name)
        {
            changes.Add("metadata.name");
        }

        if (before.Namespace != after.Namespace)
        {
            changes.Add("metadata.namespace");
        }

        return changes.ToImmutable();
    }

    private static ResourceException UnknownType(string urn, string type) =>
        new(urn, $"the kubernetes provider has no type '{type}' (known: {ObjectType}, {SecretType}).");
}
