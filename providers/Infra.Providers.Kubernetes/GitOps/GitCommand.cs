using System.Diagnostics;
using System.Text;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>Runs the real <c>git</c> in a work tree.</summary>
internal static class GitCommand
{
    /// <summary>The result of one git run.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs git and returns its output; fails with the command and git's message when it exits non-zero.</summary>
    /// <exception cref="InfraException">git failed.</exception>
    public static async Task<string> RunAsync(string workTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(workTree, arguments, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var message = (result.Error.Length > 0 ? result.Error : result.Output).Trim().ReplaceLineEndings(" ");
            throw new InfraException($"'git {string.Join(' ', arguments)}' failed in '{workTree}' (exit {result.ExitCode}): {message}");
        }

        return result.Output;
    }

    /// <summary>Runs git and returns its exit code and output, whatever the exit code.</summary>
    public static async Task<Result> TryRunAsync(string workTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workTree,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Never prompt (for credentials or an editor): this runs unattended.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_EDITOR"] = "true";
        using var process = Process.Start(start) ?? throw new InfraException("could not start 'git'; install git.");
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
