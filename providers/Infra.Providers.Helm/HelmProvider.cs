using System.Collections.Immutable;
using Infra.Providers.Helm.Rendering;
using Infra.Providers.Kubernetes;
using Infra.Providers.Kubernetes.GitOps;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Providers.Helm;

/// <summary>
/// Manages Helm releases (<c>helm:index:HelmRelease</c>) in the same two modes as the kubernetes provider, whose
/// <c>kubernetes:*</c> settings it shares:
/// <list type="bullet">
/// <item><description>GitOps, repository chart: a Flux HelmRepository and HelmRelease in the stack's folder; Flux
/// installs, retries, rolls back a failed upgrade and corrects drift.</description></item>
/// <item><description>GitOps, chart folder in this repository: the chart rendered with the real <c>helm template</c>,
/// each object written as its own manifest. The folder then holds exactly what runs, reviewers see object-level
/// diffs in each commit, kustomize and the strict model check cover the chart's objects, and the cluster needs no
/// access to this repository; rolling back is reverting the commit, and Flux's Kustomization prunes and corrects
/// drift.</description></item>
/// <item><description>Cluster: <c>helm upgrade --install --rollback-on-failure</c>.</description></item>
/// </list>
/// Either way a local chart is rendered at preview, so the plan lists the real objects (input <c>manifests</c>).
/// </summary>
public sealed partial class HelmProvider : IResourceProvider, IUpdateObserver
{
    /// <summary>The package name.</summary>
    public const string PackageName = "helm";

    /// <summary>The type token of <see cref="HelmRelease"/>.</summary>
    public const string ReleaseType = "helm:index:HelmRelease";

    internal const string ManifestsProperty = "manifests";
    internal const string FilesOutput = "files";

    /// <summary>
    /// The <see cref="RenderDigest"/> of the recorded render. A no-change preview in a new process then reuses the
    /// manifests in state instead of running <c>helm template</c> again for every release; diffs ignore it.
    /// </summary>
    internal const string RenderDigestProperty = "renderDigest";

    private static readonly ImmutableHashSet<string> s_identity = ["name", "namespace"];

    private readonly ProviderContext _context;
    private readonly KubernetesSettings _kubernetes;
    // Found when first needed: releases of repository charts in GitOps mode never run helm.
    private readonly Lazy<HelmBinary> _helm;
    private readonly RenderCache _renders;
    private readonly GitOpsObjectStore _gitops;

    internal HelmProvider(ProviderContext context, KubernetesSettings kubernetes, Lazy<HelmBinary> helm, RenderCache renders)
    {
        _context = context;
        _kubernetes = kubernetes;
        _helm = helm;
        _renders = renders;
        _gitops = new GitOpsObjectStore(new GitOpsRepository(kubernetes.GitOpsPath, kubernetes.GitOpsRemote, kubernetes.GitOpsBranch), context.StackName);
    }

    /// <inheritdoc/>
    public string Package => PackageName;

    private bool IsGitOps => _kubernetes.Mode == KubernetesMode.GitOps;

    /// <inheritdoc/>
    public async Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckType(request.Urn, request.Type);
        var failures = ImmutableArray.CreateBuilder<CheckFailure>();
        var inputs = WithDefaults(request.NewInputs, failures);
        if (failures.Count > 0)
        {
            return new CheckResponse(inputs, failures.ToImmutable());
        }

        if (!inputs.Remove(ManifestsProperty).IsFullyKnown)
        {
            return new CheckResponse(inputs.SetItem(ManifestsProperty, PropertyValue.Unknown), []);
        }

        var release = ReleaseSpec.Of(inputs);
        IReadOnlyList<PropertyMap>? manifests = null;
        if (!release.FromRepository)
        {
            try
            {
                var chartPath = ChartPath(release);
                Task<ImmutableArray<PropertyMap>> RenderAsync() => new ChartRenderer(_helm.Value).RenderAsync(release, chartPath, cancellationToken);
                if (release.Values.ContainsSecrets)
                {
                    manifests = await RenderAsync().ConfigureAwait(false);
                }
                else
                {
                    var digest = RenderDigest.Compute(release, chartPath, _helm.Value.Path, cancellationToken);
                    inputs = inputs.SetItem(RenderDigestProperty, PropertyValue.Create(digest));
                    manifests = RecordedRender(request.OldInputs, digest)
                        ?? await _renders.GetOrRenderAsync(digest, RenderAsync).ConfigureAwait(false);
                }
            }
            catch (InfraException ex)
            {
                failures.Add(new CheckFailure("values", ex.Message));
                return new CheckResponse(inputs, failures.ToImmutable());
            }

            CheckRendered(manifests, failures);
        }
        else if (IsGitOps)
        {
            manifests = FluxObjects.For(release);
        }

        if (manifests is null)
        {
            return new CheckResponse(inputs.Remove(ManifestsProperty), failures.ToImmutable());
        }

        var value = PropertyValue.Create(manifests.Select(static m => PropertyValue.Create(m)));
        // Rendered from secret values, the objects are secret too (cluster mode; GitOps mode refuses secret values).
        return new CheckResponse(inputs.SetItem(ManifestsProperty, release.Values.ContainsSecrets ? PropertyValue.Secret(value) : value), failures.ToImmutable());
    }

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var diff = DiffResponse.FromInputs(request.OldInputs.Remove(RenderDigestProperty), request.NewInputs.Remove(RenderDigestProperty), s_identity);
        // A release is renamed by uninstalling the old one first: both would own the same objects.
        return Task.FromResult(diff.RequiresReplacement ? diff with { DeleteBeforeReplace = true } : diff);
    }

    /// <inheritdoc/>
    public async Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckType(request.Urn, request.Type);
        var id = IdOf(request.Inputs);
        if (request.Preview)
        {
            return new CreateResponse(id, WithFiles(request.Inputs));
        }

        if (IsGitOps)
        {
            await _gitops.CreateAsync(request.Urn, Manifests(request.Inputs), cancellationToken).ConfigureAwait(false);
            return new CreateResponse(id, WithFiles(request.Inputs));
        }

        return new CreateResponse(id, await UpgradeInstallAsync(request.Urn, request.Inputs, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public async Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckType(request.Urn, request.Type);
        if (request.Inputs is not { } inputs || !inputs.IsFullyKnown)
        {
            return ReadResponse.Indeterminate;
        }

        var id = request.Id ?? IdOf(inputs);
        if (!IsGitOps)
        {
            var status = await StatusAsync(inputs, cancellationToken).ConfigureAwait(false);
            return status is null ? ReadResponse.NotFound : ReadResponse.Found(id, inputs, (request.Outputs ?? inputs).SetItem("status", PropertyValue.Create(status)));
        }

        var files = Files(request.Outputs ?? WithFiles(inputs));
        var found = new List<PropertyMap>();
        foreach (var file in files)
        {
            if (await _gitops.ReadAsync(file, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                found.Add(manifest);
            }
        }

        if (found.Count == 0)
        {
            return ReadResponse.NotFound;
        }

        // What is in git now becomes the recorded objects, so a hand edit or a deleted file shows as drift.
        var read = PropertyValue.Create(found.Select(static m => PropertyValue.Create(m)));
        var live = inputs.SetItem(ManifestsProperty, read);
        if (!read.Equals(inputs.GetValueOrDefault(ManifestsProperty)))
        {
            // The files are no longer what the recorded render wrote: the next check must render again to see it.
            live = live.Remove(RenderDigestProperty);
        }

        return ReadResponse.Found(id, live, WithFiles(live));
    }

    /// <inheritdoc/>
    public async Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckType(request.Urn, request.Type);
        if (request.Preview)
        {
            return new UpdateResponse(WithFiles(request.NewInputs));
        }

        if (IsGitOps)
        {
            var outputs = WithFiles(request.NewInputs);
            var removed = Files(request.OldOutputs).Except(Files(outputs), StringComparer.Ordinal);
            await _gitops.ReplaceAsync(Manifests(request.NewInputs), removed, cancellationToken).ConfigureAwait(false);
            return new UpdateResponse(outputs);
        }

        return new UpdateResponse(await UpgradeInstallAsync(request.Urn, request.NewInputs, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckType(request.Urn, request.Type);
        if (IsGitOps)
        {
            await _gitops.DeleteAsync(Files(request.Outputs.Count > 0 ? request.Outputs : WithFiles(request.Inputs)), cancellationToken).ConfigureAwait(false);
            return;
        }

        await UninstallAsync(request.Urn, request.Inputs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>In GitOps mode, commits the stack's folder once at the end of an update or destroy.</summary>
    public async Task OnUpdateCompletedAsync(UpdateCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        if (IsGitOps && !_context.IsPreview)
        {
            await _gitops.Repository.CommitAsync(completion, cancellationToken).ConfigureAwait(false);
        }
    }

    private PropertyMap WithDefaults(PropertyMap inputs, ImmutableArray<CheckFailure>.Builder failures)
    {
        foreach (var key in new[] { "name", "namespace", "chart" })
        {
            if (inputs.GetValueOrDefault(key) is not { } value || (value.IsFullyKnown && (!value.TryGetString(out var text) || text.Length == 0)))
            {
                failures.Add(new CheckFailure(key, "is required: a non-empty string."));
            }
        }

        foreach (var (key, value) in new[] { ("interval", "10m"), ("timeout", "5m") })
        {
            if (!inputs.ContainsKey(key))
            {
                inputs = inputs.SetItem(key, PropertyValue.Create(value));
            }
        }

        if (!inputs.ContainsKey("maxRetries"))
        {
            inputs = inputs.SetItem("maxRetries", PropertyValue.Create(3));
        }

        if (!inputs.ContainsKey("values"))
        {
            inputs = inputs.SetItem("values", PropertyValue.EmptyObject);
        }

        if (inputs.GetString("repositoryUrl") is { } url)
        {
            if (!url.StartsWith("https://", StringComparison.Ordinal) && !url.StartsWith("http://", StringComparison.Ordinal) &&
                !url.StartsWith("oci://", StringComparison.Ordinal))
            {
                failures.Add(new CheckFailure("repositoryUrl", $"'{url}' must be an https://, http:// or oci:// chart repository."));
            }

            if (inputs.GetValueOrDefault("version") is null)
            {
                failures.Add(new CheckFailure("version", "is required for a repository chart, so every release installs the same chart."));
            }
        }
        else if (!inputs.ContainsKey("repositoryUrl") && inputs.GetString("chart") is { } chart &&
                 !File.Exists(Path.Combine(Path.GetFullPath(Path.Combine(_context.ProjectDirectory, chart)), "Chart.yaml")))
        {
            failures.Add(new CheckFailure("chart", $"'{chart}' is not a chart folder (no Chart.yaml); give repositoryUrl for a chart from a repository."));
        }

        if (IsGitOps && inputs.GetValueOrDefault("values") is { } values)
        {
            foreach (var path in ManifestValues.SecretPaths(values, "values"))
            {
                failures.Add(new CheckFailure(path,
                    "is a secret, and GitOps mode never writes secrets to git in plaintext; put it in a KubernetesSecret and pass the Secret's name instead."));
            }
        }

        return inputs;
    }

    private static void CheckRendered(IReadOnlyList<PropertyMap> manifests, ImmutableArray<CheckFailure>.Builder failures)
    {
        foreach (var manifest in manifests)
        {
            var identity = ObjectIdentity.Of(manifest);
            if (ManifestValues.Metadata(manifest)?.GetValueOrDefault("annotations") is { Kind: PropertyValueKind.Object } annotations &&
                annotations.AsObject.ContainsKey("helm.sh/hook"))
            {
                failures.Add(new CheckFailure(ManifestsProperty,
                    $"{identity.Describe()} is a Helm hook, which rendered manifests cannot run; publish the chart to a repository and set repositoryUrl."));
            }

            if (KubernetesSchema.Validate(manifest) is var (path, reason))
            {
                failures.Add(new CheckFailure(ManifestsProperty, $"the chart renders {identity.Describe()}, which {reason} (field '{path}')."));
            }
        }
    }

    /// <summary>The manifests recorded in state, when they were rendered from exactly what would be rendered now.</summary>
    private static ImmutableArray<PropertyMap>? RecordedRender(PropertyMap? oldInputs, string digest) =>
        oldInputs is not null && oldInputs.GetString(RenderDigestProperty) == digest &&
        oldInputs.GetValueOrDefault(ManifestsProperty) is { Kind: PropertyValueKind.Array, IsFullyKnown: true } manifests &&
        manifests.AsArray.All(static m => m.Kind == PropertyValueKind.Object)
            ? [.. manifests.AsArray.Select(static m => m.AsObject)]
            : null;

    private string ChartPath(ReleaseSpec release) => Path.GetFullPath(Path.Combine(_context.ProjectDirectory, release.Chart));

    private static IReadOnlyList<PropertyMap> Manifests(PropertyMap inputs) =>
        inputs.GetValueOrDefault(ManifestsProperty)?.Unwrapped is { Kind: PropertyValueKind.Array } manifests
            ? [.. manifests.AsArray.Select(static m => m.Unwrapped.AsObject)]
            : [];

    private static PropertyMap WithFiles(PropertyMap inputs)
    {
        if (inputs.GetValueOrDefault(ManifestsProperty) is { } manifests && !manifests.IsFullyKnown)
        {
            return inputs.SetItem(FilesOutput, PropertyValue.Unknown);
        }

        var files = Manifests(inputs).Select(static m => PropertyValue.Create(ObjectIdentity.Of(m).RelativePath));
        return inputs.SetItem(FilesOutput, PropertyValue.Create(files));
    }

    private static IEnumerable<string> Files(PropertyMap outputs) =>
        outputs.GetValueOrDefault(FilesOutput) is { Kind: PropertyValueKind.Array } files ? files.AsArray.Select(static f => f.AsString) : [];

    private static string IdOf(PropertyMap inputs) =>
        inputs.GetString("namespace") is { } ns && inputs.GetString("name") is { } name ? $"{ns}/{name}" : string.Empty;

    private static void CheckType(string urn, string type)
    {
        if (type != ReleaseType)
        {
            throw new ResourceException(urn, $"the helm provider has no type '{type}' (known: {ReleaseType}).");
        }
    }
}
