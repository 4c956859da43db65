using System.Collections.Immutable;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Providers.Helm.Rendering;

/// <summary>
/// Renders a chart folder with the real <c>helm template</c>, so plans and the GitOps tree show exactly the objects
/// the chart makes. Namespaced objects without a namespace get the release's, as <c>helm install</c> would place them.
/// </summary>
internal sealed class ChartRenderer(HelmBinary helm)
{
    /// <summary>The Kubernetes version charts are rendered for (the pinned kubectl's minor version).</summary>
    public const string KubeVersion = "1.34.0";

    // A render is a stream of many manifests (CRDs included), so it may pass one file's 1 MiB; the other YAML limits hold.
    private const int RenderLimitBytes = 64 * 1024 * 1024;

    /// <summary>Renders the chart and returns its objects, sorted by their GitOps path.</summary>
    /// <exception cref="InfraException">helm failed (an invalid chart or values); the message is helm's, on one line.</exception>
    public async Task<ImmutableArray<PropertyMap>> RenderAsync(ReleaseSpec release, string chartPath, CancellationToken cancellationToken)
    {
        var result = await helm.RunAsync(
            ["template", release.Name, chartPath, "--namespace", release.Namespace, .. HelmBinary.ValuesFromInput, "--kube-version", KubeVersion,
             "--include-crds", "--skip-tests"], cancellationToken, ReleaseValues.Of(release.Values)).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InfraException($"helm template of chart '{chartPath}' failed: {result.Message}");
        }

        return [.. ManifestYaml.ReadAll(result.Output, $"helm template of chart '{chartPath}'", RenderLimitBytes)
            .Select(manifest => PlaceInNamespace(manifest, release.Namespace))
            .OrderBy(static manifest => ObjectIdentity.Of(manifest).RelativePath, StringComparer.Ordinal)];
    }

    private static PropertyMap PlaceInNamespace(PropertyMap manifest, string ns)
    {
        var identity = ObjectIdentity.Of(manifest);
        return identity.Namespace is null && !KubernetesSchema.IsClusterScoped(identity.Kind) ? ManifestValues.WithNamespace(manifest, ns) : manifest;
    }
}
