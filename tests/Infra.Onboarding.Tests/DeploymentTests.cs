using Infra.TestSupport;

namespace Infra.Onboarding.Tests;

public class DeploymentTests
{
    private static string Chart => Path.Combine(RepositoryPaths.Root, "deploy", "charts", "onboarding");

    [Fact]
    public async Task The_chart_passes_helm_lint_strict_and_renders_probes_a_pdb_and_a_non_root_pod()
    {
        var lint = await RepositoryTools.RunAsync(RepositoryTools.Helm, RepositoryPaths.Root, "lint", "--strict", Chart);
        Assert.True(lint.ExitCode == 0, lint.Output + lint.Error);

        var template = await RepositoryTools.RunAsync(RepositoryTools.Helm, RepositoryPaths.Root, "template", "onboarding", Chart);
        Assert.True(template.ExitCode == 0, template.Error);
        foreach (var expected in new[] { "kind: PodDisruptionBudget", "path: /healthz/ready", "path: /healthz/live", "runAsNonRoot: true", "readOnlyRootFilesystem: true" })
        {
            Assert.Contains(expected, template.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_values_schema_refuses_a_bad_value_naming_it()
    {
        var lint = await RepositoryTools.RunAsync(RepositoryTools.Helm, RepositoryPaths.Root, "lint", "--strict", Chart, "--set", "replicaCount=0");
        Assert.NotEqual(0, lint.ExitCode);
        Assert.Contains("replicaCount", lint.Output + lint.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_script_prints_only_a_token_for_a_known_scope_and_refuses_an_unknown_one()
    {
        var script = Path.Combine(RepositoryPaths.Root, "scripts", "onboarding.sh");
        var token = await RepositoryTools.RunAsync("bash", RepositoryPaths.Root, script, "token", "--scope", "tenant:acme", "--ttl", "10m");
        Assert.True(token.ExitCode == 0, token.Error);
        var parts = token.Output.Trim().Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal(token.Output.Trim() + "\n", token.Output);

        var bad = await RepositoryTools.RunAsync("bash", RepositoryPaths.Root, script, "token", "--scope", "root");
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal(string.Empty, bad.Output);
        Assert.Contains("'root'", bad.Error, StringComparison.Ordinal);
    }
}
