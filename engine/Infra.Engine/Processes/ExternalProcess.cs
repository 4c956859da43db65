using System.Diagnostics;
using System.Text;
namespace Infra.Processes;

/// <summary>
/// Runs a real tool (git, helm, pgBackRest, <c>pg_ctl</c>) to completion, killing it when the operation is cancelled.
/// The tool gets the minimal <see cref="ChildEnvironment"/> plus what its caller names, never the engine's secrets.
/// Providers and components run their tools through it, so every child process is started the same way.
/// </summary>
public static class ExternalProcess
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
    /// <param name="file">The tool: a path, or a name looked up on <c>PATH</c>.</param>
    /// <param name="arguments">Its arguments, passed as they are (no shell).</param>
    /// <param name="workingDirectory">Where it runs; this process's folder when <see langword="null"/>.</param>
    /// <param name="environment">Variables set for this tool only.</param>
    /// <param name="cancellationToken">Kills the tool and its children.</param>
    /// <param name="alsoPassedOn">Names of this process's variables the tool also gets (for git: the SSH agent).</param>
    /// <param name="input">Written to the tool's standard input, which is then closed; none when <see langword="null"/>.</param>
    /// <exception cref="InfraException">The tool could not be started.</exception>
    public static async Task<Result> RunAsync(
        string file, IReadOnlyList<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken, IReadOnlyList<string>? alsoPassedOn = null, string? input = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
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
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
                process.StandardInput.Close();
            }

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
