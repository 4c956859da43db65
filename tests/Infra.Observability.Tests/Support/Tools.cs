using System.Diagnostics;

namespace Infra.Observability.Tests.Support;

/// <summary>Runs Debian's promtool and amtool (scripts/install.sh installs them) and the repository's scripts.</summary>
public static class Tools
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestSupport.RepositoryPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output) + (await error));
    }

    public static async Task<string> RequireAsync(string file, params string[] arguments)
    {
        var (code, output) = await RunAsync(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}:\n{output}");
        }

        return output;
    }
}
