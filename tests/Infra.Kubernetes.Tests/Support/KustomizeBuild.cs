using System.Collections.Immutable;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests.Support;

/// <summary>Builds a GitOps folder with the real kubectl kustomize and checks every built-in object strictly.</summary>
public static class KustomizeBuild
{
    public static async Task<ImmutableArray<PropertyMap>> BuildAsync(string folder)
    {
        var result = await RepositoryTools.RunAsync(RepositoryTools.Kubectl, folder, "kustomize", folder);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {folder} failed: {result.Error}");
        return ManifestYaml.ReadAll(result.Output, "kubectl kustomize", int.MaxValue);
    }

    /// <summary>Every object of a built-in kind must deserialize into KubernetesClient's model with no unknown field.</summary>
    public static void AssertBuiltInsAreStrictlyValid(IEnumerable<PropertyMap> objects)
    {
        foreach (var manifest in objects)
        {
            var problem = KubernetesSchema.Validate(manifest);
            Assert.True(problem is null, $"{manifest.GetString("kind")} {ManifestValues.Metadata(manifest)?.GetString("name")}: {problem?.Reason}");
        }
    }
}
