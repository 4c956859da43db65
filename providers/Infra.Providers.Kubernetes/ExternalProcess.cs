using System.Diagnostics;
using System.Text;
using Infra.Processes;

namespace Infra.Providers.Kubernetes;

/// <summary>
/// Runs a real tool (git, helm) to completion, killing it when the operation is cancelled. The tool gets the minimal
/// <see cref="ChildEnvironment"/> plus what its caller names, never the engine's secrets.
/// </summary>
internal static class ExternalProcess
{
    /// <summary>The result of one run.</summary>
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        /// <summary>The error output (or the output, when there is none) as one line.</summary>
        public string Message => string.Join("; ", (Error.Trim().Length > 0 ? Error : Output)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/> and collects its output. The tool's environment is
    /// <see cref="ChildEnvironment"/>'s, the variables named in <paramref name="alsoPassedOn"/>, and <paramref name="environment"/>.
    /// </summary>
    /// <exception cref="InfraException">The tool could not be started.</exception>
    public static async Task<Result> RunAsync(
        string file, IReadOnlyList<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken, IReadOnlyList<string>? alsoPassedOn = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ChildEnvironment.Apply(start, environment, alsoPassedOn);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InfraException($"could not start '{file}'.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InfraException($"could not start '{file}': {ex.Message}.", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new Result(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }
}
