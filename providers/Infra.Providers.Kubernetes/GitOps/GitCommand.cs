using Infra.Processes;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>Runs the real <c>git</c> in a work tree, never prompting: this runs unattended.</summary>
internal static class GitCommand
{
    private static readonly Dictionary<string, string> s_environment = new() { ["GIT_TERMINAL_PROMPT"] = "0", ["GIT_EDITOR"] = "true" };

    /// <summary>Runs git and returns its output; fails with the command and git's message when it exits non-zero.</summary>
    /// <exception cref="InfraException">git failed.</exception>
    public static async Task<string> RunAsync(string workTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(workTree, arguments, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Output
            : throw new InfraException($"'git {string.Join(' ', arguments)}' failed in '{workTree}' (exit {result.ExitCode}): {result.Message}");
    }

    /// <summary>
    /// Runs git and returns its exit code and output, whatever the exit code. Git alone gets the SSH agent and ssh
    /// command (<see cref="ChildEnvironment.GitSshPassedOn"/>), for a remote reached over SSH.
    /// </summary>
    public static Task<ExternalProcess.Result> TryRunAsync(string workTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ExternalProcess.RunAsync("git", arguments, workTree, s_environment, cancellationToken, ChildEnvironment.GitSshPassedOn);
}
