using System.Diagnostics;
using Infra.TestSupport;

namespace Infra.Plugins.Tests;

/// <summary>Each SDK's own tests, in its own ecosystem's runner, run as part of the suite.</summary>
[Collection(PluginExamplesCollection.Name)]
public sealed class SdkOwnTests
{
    [Theory]
    [InlineData("typescript", "npm test")]
    [InlineData("python", "python3 -m unittest discover -s tests")]
    [InlineData("python/examples/tenant_allowlist", "python3 -m unittest discover -s tests")]
    [InlineData("java", "bash build.sh test")]
    public async Task Each_sdk_passes_its_own_tests(string folder, string command)
    {
        var parts = command.Split(' ');
        var start = new ProcessStartInfo(parts[0])
        {
            WorkingDirectory = Path.Combine(RepositoryPaths.Root, "sdk", folder),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in parts.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        if (folder.StartsWith("python/examples", StringComparison.Ordinal))
        {
            start.Environment["PYTHONPATH"] = Path.Combine(RepositoryPaths.Root, "sdk", "python", "src");
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"{command} in sdk/{folder} exited with {process.ExitCode}:\n{await output}\n{await errors}");
    }
}
