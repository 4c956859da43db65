namespace Infra.TestSupport;

/// <summary>
/// A throwaway project folder for CLI tests: the repository's Pulumi.yaml (so the config schema is the real one),
/// the tenant plans and the platform chart (tenant stacks render it), with the passphrase set and the embedded SQLite
/// state and the GitOps tree (<c>.gitops</c>) inside the folder.
/// </summary>
public sealed class CliProject : IDisposable
{
    public const string Passphrase = "cli test passphrase";

    public CliProject(string? backendUrl = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "infra-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "environments"));
        File.Copy(Path.Combine(RepositoryPaths.Root, "Pulumi.yaml"), Path.Combine(Directory, "Pulumi.yaml"));
        foreach (var shared in new[] { "environments/plans.yaml", "environments/platform-charts.yaml", "deploy/charts/platform" })
        {
            Copy(Path.Combine(RepositoryPaths.Root, shared), Path.Combine(Directory, shared));
        }

        Environment = new Dictionary<string, string?>
        {
            ["INFRA_CONFIG_PASSPHRASE"] = Passphrase,
            ["INFRA_BACKEND_URL"] = backendUrl,
        };
    }

    public string Directory { get; }

    public Dictionary<string, string?> Environment { get; }

    public string StatePath => Path.Combine(Directory, ".infra", "state.db");

    public string GitOpsPath => Path.Combine(Directory, ".gitops");

    public string SettingsPath(string stack) => Path.Combine(Directory, "environments", $"Pulumi.{stack}.yaml");

    public Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(Directory, Environment, args);

    /// <summary>Runs with <paramref name="input"/> on stdin.</summary>
    public Task<CliResult> RunWithInputAsync(string input, params string[] args) => CliRunner.RunWithInputAsync(Directory, Environment, input, args);

    /// <summary>Runs and asserts exit code 0, showing the output when it is not.</summary>
    public async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args).ConfigureAwait(false);
        Xunit.Assert.True(result.ExitCode == 0, $"infra {string.Join(' ', args)} failed: {result}");
        return result;
    }

    public System.Diagnostics.Process Start(params string[] args) => CliRunner.Start(Directory, Environment, args);

    private static void Copy(string source, string target)
    {
        if (File.Exists(source))
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        else if (System.IO.Directory.Exists(source))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
            }
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
