using System.Diagnostics;

namespace Infra.TestSupport;

/// <summary>
/// The repository's pinned helm and kubectl in .tools/bin, installed by scripts/install-k8s-tools.sh on first use
/// (the script is idempotent), so the tests always run the real tools at the pinned versions.
/// </summary>
public static class RepositoryTools
{
    private static readonly Lazy<string> s_bin = new(Install);

    public static string Root => RepositoryPaths.Root;

    public static string Helm => Path.Combine(s_bin.Value, "helm");

    public static string Kubectl => Path.Combine(s_bin.Value, "kubectl");

    public static string PlatformChart => Path.Combine(Root, "deploy", "charts", "platform");

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string workingDirectory, params string[] arguments) =>
        RunAsync(file, workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>Runs <paramref name="file"/> with <paramref name="environment"/> added to this process's environment.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string file, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static string Install()
    {
        var bin = Path.Combine(Root, ".tools", "bin");
        var result = RunAsync("bash", Root, Path.Combine(Root, "scripts", "install-k8s-tools.sh")).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/install-k8s-tools.sh failed: {result.Error}");
        }

        return bin;
    }
}
