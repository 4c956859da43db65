using System.Text.Json;
using Infra.Providers.Kubernetes.Manifests;
using Infra.TestSupport;
using Infra.Values;

namespace Infra.Kubernetes.Tests.Support;

/// <summary>
/// Checks every custom resource (any kind KubernetesClient has no model for) with <c>tests/schemas/validate.mjs</c>:
/// against its <c>@kubernetes-models/*</c> package, or strictly against the CRD schema the chart ships (vendored in
/// <c>tests/schemas/crds/</c>). A kind with neither fails the check: every custom resource we render has a schema.
/// </summary>
public static class CustomResourceSchemas
{
    private static readonly string s_folder = Path.Combine(RepositoryTools.Root, "tests", "schemas");
    private static readonly SemaphoreSlim s_install = new(1, 1);

    /// <summary>Asserts every custom resource of <paramref name="objects"/> fits its schema; returns how many were checked.</summary>
    public static async Task<int> AssertValidAsync(IEnumerable<PropertyMap> objects)
    {
        var custom = objects.Where(static o => !KubernetesSchema.IsBuiltIn(o.GetString("apiVersion") ?? string.Empty, o.GetString("kind") ?? string.Empty)).ToList();
        if (custom.Count == 0)
        {
            return 0;
        }

        await EnsureInstalledAsync();
        var input = Path.Combine(Path.GetTempPath(), $"infra-crs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, "[" + string.Join(',', custom.Select(static o => PropertyJson.ToJson(o.RevealAll(), PropertyJsonMode.Plaintext))) + "]");
        try
        {
            var result = await RepositoryTools.RunAsync("node", s_folder, Path.Combine(s_folder, "validate.mjs"), input);
            Assert.True(result.ExitCode == 0, $"validate.mjs failed: {result.Error}");
            var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(custom.Count, lines.Count);
            var problems = lines.Where(static l => l.GetProperty("status").GetString() != "valid").Select(static l => l.ToString()).ToList();
            Assert.True(problems.Count == 0, "custom resources that do not fit their schema:\n" + string.Join('\n', problems));
            return lines.Count;
        }
        finally
        {
            File.Delete(input);
        }
    }

    // scripts/install.sh installs the packages; a developer who has not run it since they were added gets them here.
    private static async Task EnsureInstalledAsync()
    {
        await s_install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(s_folder, "node_modules", "ajv")))
            {
                var install = await RepositoryTools.RunAsync("npm", s_folder, "ci", "--no-audit", "--no-fund", "--silent");
                Assert.True(install.ExitCode == 0, $"npm ci in {s_folder} failed: {install.Error}");
            }
        }
        finally
        {
            s_install.Release();
        }
    }
}
