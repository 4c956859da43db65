using Infra.Values;

namespace Infra.Providers.Helm.Rendering;

/// <summary>A release's checked inputs, read from the property bag.</summary>
/// <param name="Name">The release name.</param>
/// <param name="Namespace">The release namespace.</param>
/// <param name="Chart">A chart folder (local chart) or a chart name in <paramref name="RepositoryUrl"/>.</param>
/// <param name="Version">The chart version; required for repository charts.</param>
/// <param name="RepositoryUrl">The chart repository (https or oci), or <see langword="null"/> for a local chart.</param>
/// <param name="Values">The values.</param>
/// <param name="Interval">How often Flux reconciles the release.</param>
/// <param name="Timeout">How long an install, upgrade or rollback may take.</param>
/// <param name="Retries">How many times a failed install or upgrade is retried.</param>
internal sealed record ReleaseSpec(
    string Name, string Namespace, string Chart, string? Version, string? RepositoryUrl, PropertyMap Values, string Interval, string Timeout, int Retries)
{
    /// <summary>True for a chart from a repository, false for a chart folder.</summary>
    public bool FromRepository => RepositoryUrl is not null;

    /// <summary>Reads a fully known, checked input bag.</summary>
    public static ReleaseSpec Of(PropertyMap inputs) => new(
        inputs.GetString("name")!,
        inputs.GetString("namespace")!,
        inputs.GetString("chart")!,
        inputs.GetString("version"),
        inputs.GetString("repositoryUrl"),
        inputs.GetValueOrDefault("values")?.Unwrapped is { Kind: PropertyValueKind.Object } values ? values.AsObject : PropertyMap.Empty,
        inputs.GetString("interval")!,
        inputs.GetString("timeout")!,
        inputs.GetValueOrDefault("maxRetries") is { } retries && retries.TryGetNumber(out var n) ? (int)n : 3);
}
