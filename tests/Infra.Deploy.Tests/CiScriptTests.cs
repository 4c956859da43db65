using Infra.TestSupport;

namespace Infra.Deploy.Tests;

/// <summary>
/// The pipeline's stack selection (<c>deploy/ci/scripts</c>), run by real bash and git on a scratch repository
/// holding copies of the scripts: which stacks a change touches, and which stacks an environment has.
/// </summary>
public sealed class CiScriptTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), $"ci-scripts-{Guid.NewGuid():N}");

    public CiScriptTests()
    {
        var scripts = Path.Combine(_repo, "deploy", "ci", "scripts");
        Directory.CreateDirectory(scripts);
        foreach (var script in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "deploy", "ci", "scripts"), "*.sh"))
        {
            File.Copy(script, Path.Combine(scripts, Path.GetFileName(script)));
        }

        Write("environments/Pulumi.tenant-acme.yaml", "config:\n  infra:kind: tenant\n  infra:environment: production\n");
        Write("environments/Pulumi.tenant-dev.yaml", "config:\n  infra:kind: tenant\n  infra:environment: \"development\"\n");
        Write("environments/plans.yaml", "plans: {}\n");
        Write("docs/readme.md", "docs\n");
        Write("stacks/Program.cs", "// program\n");
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("-c", "user.email=ci@localhost", "-c", "user.name=ci", "commit", "-qm", "base");
        Git("checkout", "-qb", "change");
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    [Fact]
    public void A_changed_settings_file_touches_only_its_stack()
    {
        Commit("environments/Pulumi.tenant-dev.yaml", "config:\n  infra:kind: tenant\n  infra:environment: development\n  tenant:plan: free\n");

        Assert.Equal(["tenant-dev"], Run("touched-stacks.sh", "main"));
    }

    [Fact]
    public void A_program_or_plans_change_touches_every_stack_and_a_docs_change_touches_none()
    {
        Commit("docs/readme.md", "more docs\n");
        Assert.Empty(Run("touched-stacks.sh", "main"));

        Commit("environments/plans.yaml", "plans: { free: {} }\n");
        Assert.Equal(["tenant-acme", "tenant-dev"], Run("touched-stacks.sh", "main"));
    }

    [Fact]
    public void Stacks_of_an_environment_are_those_whose_config_names_it_quoted_or_not()
    {
        Assert.Equal(["tenant-acme"], Run("stacks.sh", "--environment", "production"));
        Assert.Equal(["tenant-dev"], Run("stacks.sh", "--environment", "development"));
        Assert.Empty(Run("stacks.sh", "--environment", "staging"));
        Assert.Equal(["tenant-acme", "tenant-dev"], Run("stacks.sh"));
    }

    private void Write(string path, string text)
    {
        var full = Path.Combine(_repo, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private void Commit(string path, string text)
    {
        Write(path, text);
        Git("-c", "user.email=ci@localhost", "-c", "user.name=ci", "commit", "-qam", $"change {path}");
    }

    private void Git(params string[] arguments) => Assert.Equal(string.Empty, Exec("git", arguments));

    private string[] Run(string script, params string[] arguments) =>
        Exec("bash", [Path.Combine(_repo, "deploy", "ci", "scripts", script), .. arguments]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private string Exec(string file, string[] arguments)
    {
        var (code, output, error) = RepositoryTools.RunAsync(file, _repo, arguments).GetAwaiter().GetResult();
        Assert.True(code == 0, $"{file} {string.Join(' ', arguments)} exited {code}: {error}");
        return output;
    }
}
