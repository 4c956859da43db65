using System.Diagnostics;
using Infra.TestSupport;

namespace Infra.Docs.Tests.Site;

/// <summary>
/// Builds the documentation site once for every test that reads it, with the same script a user runs
/// (<c>scripts/docs.sh</c>, DocFX with warnings as errors), into <c>artifacts/docs</c>.
/// </summary>
public sealed class DocsSite : IAsyncLifetime
{
    /// <summary>The libraries whose assemblies the API reference is generated from (as listed in docs/docfx.json).</summary>
    private static readonly string[] ApiAssemblies =
    [
        "engine/Infra.Engine/bin/Release/net10.0/Infra.Engine.dll",
        "engine/Infra.Testing/bin/Release/net10.0/Infra.Testing.dll",
        "policies/Infra.Policies/bin/Release/net10.0/Infra.Policies.dll",
        "components/Infra.Components/bin/Release/net10.0/Infra.Components.dll",
    ];

    public static string OutputDirectory => Path.Combine(RepositoryPaths.Root, "artifacts", "docs");

    /// <summary>Where tests keep what a person would look at (screenshots).</summary>
    public static string ArtifactsDirectory => Path.Combine(RepositoryPaths.Root, "artifacts", "test-results", "docs");

    public CommandResult Build { get; private set; } = new(-1, string.Empty);

    public async Task InitializeAsync()
    {
        // The suite builds the solution first; run alone, the script builds the libraries itself.
        var built = ApiAssemblies.All(path => File.Exists(Path.Combine(RepositoryPaths.Root, path)));
        Build = await Commands.RunAsync(RepositoryPaths.Root, "bash", built ? ["scripts/docs.sh", "--no-build"] : ["scripts/docs.sh"]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Fails the calling test with the build's output when the site did not build.</summary>
    public void EnsureBuilt() => Assert.True(Build.ExitCode == 0, "scripts/docs.sh failed:\n" + Build.Output);
}

[CollectionDefinition(Name)]
public sealed class DocsSiteCollection : ICollectionFixture<DocsSite>
{
    public const string Name = "docs site";
}

/// <summary>What a process printed (stdout and stderr together, in order) and returned.</summary>
public sealed record CommandResult(int ExitCode, string Output);

public static class Commands
{
    public static async Task<CommandResult> RunAsync(
        string workingDirectory, string fileName, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            // A null value removes the variable, so the child starts without it.
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        process.StandardInput.Close();
        var output = new System.Text.StringBuilder();
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time:\n{output}");
        }

        process.WaitForExit();
        lock (gate)
        {
            return new CommandResult(process.ExitCode, output.ToString());
        }
    }
}
