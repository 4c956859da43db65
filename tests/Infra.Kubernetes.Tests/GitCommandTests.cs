using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Kubernetes.GitOps;

namespace Infra.Kubernetes.Tests;

/// <summary>What every git process the GitOps provider starts runs with.</summary>
public sealed class GitCommandTests : IDisposable
{
    private readonly ScratchGitOpsRoot _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Git_runs_with_the_allocator_setting_that_keeps_freed_memory_and_without_the_engines_own_environment()
    {
        Directory.CreateDirectory(_scratch.Root);
        await GitCommand.RunAsync(_scratch.Root, ["init", "--quiet"], CancellationToken.None);
        Environment.SetEnvironmentVariable("INFRA_TEST_ENGINE_ONLY", "must-not-reach-git");
        try
        {
            // A shell alias prints the environment git itself was started with.
            var environment = (await GitCommand.RunAsync(_scratch.Root, ["-c", "alias.environment=!env", "environment"], CancellationToken.None))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);

            Assert.Contains($"GLIBC_TUNABLES={GitCommand.MallocTunables}", environment);
            Assert.DoesNotContain(environment, line => line.StartsWith("INFRA_TEST_ENGINE_ONLY=", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable("INFRA_TEST_ENGINE_ONLY", null);
        }
    }

    [Fact]
    public async Task A_command_run_without_the_index_sees_no_staged_file_and_leaves_the_index_as_it_was()
    {
        Directory.CreateDirectory(_scratch.Root);
        await GitCommand.RunAsync(_scratch.Root, ["init", "--quiet"], CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(_scratch.Root, ".git", "infra"));
        await File.WriteAllTextAsync(Path.Combine(_scratch.Root, "staged.yaml"), "kind: ConfigMap\n");
        await GitCommand.RunAsync(_scratch.Root, ["add", "staged.yaml"], CancellationToken.None);
        var index = await File.ReadAllBytesAsync(Path.Combine(_scratch.Root, ".git", "index"));

        var seen = await GitCommand.RunWithoutIndexAsync(_scratch.Root, ["ls-files"], CancellationToken.None);

        Assert.Equal(string.Empty, seen);
        Assert.Equal("staged.yaml\n", await GitCommand.RunAsync(_scratch.Root, ["ls-files"], CancellationToken.None));
        Assert.Equal(index, await File.ReadAllBytesAsync(Path.Combine(_scratch.Root, ".git", "index")));
        Assert.False(File.Exists(Path.Combine(_scratch.Root, ".git", "infra", "no-index")));
    }
}
