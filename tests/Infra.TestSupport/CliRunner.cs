using System.Diagnostics;
using System.Text;

namespace Infra.TestSupport;

/// <summary>What one CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the real <c>./infra</c> at the repository root as a separate process, with stdin not a terminal, exactly
/// as CI and scripts do.
/// </summary>
public static class CliRunner
{
    public static string Script => Path.Combine(RepositoryPaths.Root, "infra");

    public static Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunWithInputAsync(workingDirectory, environment, string.Empty, args);

    /// <summary>Runs the CLI with <paramref name="input"/> on its stdin, as <c>printf %s "$value" | ./infra ...</c> does.</summary>
    public static async Task<CliResult> RunWithInputAsync(
        string workingDirectory, IReadOnlyDictionary<string, string?> environment, string input, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args, closeInput: input.Length == 0);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input.Length > 0)
        {
            try
            {
                await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The CLI stopped before reading all of its input; its exit code and output say why.
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return new CliResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Starts the CLI without waiting, for tests that kill it or run several at once.</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Start(workingDirectory, environment, args, closeInput: true);

    private static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args, bool closeInput)
    {
        var start = new ProcessStartInfo(Script)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ./infra");
        if (closeInput)
        {
            process.StandardInput.Close();
        }

        return process;
    }
}
