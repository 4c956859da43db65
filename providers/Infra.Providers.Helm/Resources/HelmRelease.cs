using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Providers.Helm;

/// <summary>Args for <see cref="HelmRelease"/>.</summary>
public sealed record HelmReleaseArgs
{
    /// <summary>The release name; the chart's objects are named after it.</summary>
    public required Input<string> Name { get; init; }

    /// <summary>The namespace the release installs into.</summary>
    public required Input<string> Namespace { get; init; }

    /// <summary>A chart folder, relative to the project folder (e.g. <c>deploy/charts/platform</c>), or a chart name in <see cref="RepositoryUrl"/>.</summary>
    public required Input<string> Chart { get; init; }

    /// <summary>The chart version; required with <see cref="RepositoryUrl"/>.</summary>
    public Input<string>? Version { get; init; }

    /// <summary>The chart repository, <c>https://</c> or <c>oci://</c>; absent for a chart folder.</summary>
    public Input<string>? RepositoryUrl { get; init; }

    /// <summary>The values: nested maps and lists whose leaves may be outputs. Checked by the chart's values.schema.json.</summary>
    public IReadOnlyDictionary<string, object?>? Values { get; init; }

    /// <summary>How often Flux reconciles the release; default <c>10m</c>.</summary>
    public Input<string>? Interval { get; init; }

    /// <summary>How long an install, upgrade or rollback may take; default <c>5m</c>.</summary>
    public Input<string>? Timeout { get; init; }

    /// <summary>How many times a failed install or upgrade is retried before it is rolled back; default 3.</summary>
    public Input<int>? MaxRetries { get; init; }
}

/// <summary>
/// A Helm release (type <c>helm:index:HelmRelease</c>): in GitOps mode a Flux HelmRepository and HelmRelease for a
/// repository chart, or the rendered objects of a chart folder; in cluster mode <c>helm upgrade --install</c> with
/// rollback on failure. See <see cref="HelmProvider"/>.
/// </summary>
public sealed class HelmRelease : CustomResource
{
    /// <summary>Declares a release.</summary>
    public HelmRelease(string name, HelmReleaseArgs args, CustomResourceOptions? options = null)
        : base(HelmProvider.ReleaseType, name, ToInputs(args), options)
    {
    }

    /// <summary>The objects the release puts in the GitOps tree: the rendered chart, or the Flux objects.</summary>
    public Output<PropertyValue> Manifests => GetOutput<PropertyValue>(HelmProvider.ManifestsProperty);

    /// <summary>The GitOps files of <see cref="Manifests"/>, relative to the stack's folder.</summary>
    public Output<ImmutableArray<string>> Files => GetOutput<ImmutableArray<string>>(HelmProvider.FilesOutput);

    private static Dictionary<string, object?> ToInputs(HelmReleaseArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = args.Name,
            ["namespace"] = args.Namespace,
            ["chart"] = args.Chart,
            ["values"] = args.Values is null ? null : new Dictionary<string, object?>(args.Values, StringComparer.Ordinal),
            ["version"] = args.Version,
            ["repositoryUrl"] = args.RepositoryUrl,
            ["interval"] = args.Interval,
            ["timeout"] = args.Timeout,
            ["maxRetries"] = args.MaxRetries,
        };
        foreach (var key in inputs.Where(static kv => kv.Value is null).Select(static kv => kv.Key).ToList())
        {
            inputs.Remove(key);
        }

        return inputs;
    }
}
