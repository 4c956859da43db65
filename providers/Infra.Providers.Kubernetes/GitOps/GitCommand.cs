using Infra.Processes;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// Runs the real <c>git</c> in a work tree, never prompting: this runs unattended. git's automatic maintenance (the
/// <c>gc --auto</c> that <c>commit</c>, <c>rebase</c>, <c>fetch</c> and <c>maintenance run --auto</c> may start) runs in
/// the foreground of the command that started it, never detached: see <see cref="s_maintenanceInForeground"/>.
/// </summary>
internal static class GitCommand
{
    private static readonly Dictionary<string, string> s_environment = new() { ["GIT_TERMINAL_PROMPT"] = "0", ["GIT_EDITOR"] = "true" };

    /// <summary>
    /// Every command that writes to the object store runs under the work tree's git lock, and so must the maintenance it
    /// starts. A detached <c>gc</c> outlives the lock, and its <c>prune-packed</c> removes every emptied
    /// <c>objects/xx</c> folder: a commit round writing a loose object (a tree, say) between git's <c>mkdir</c> of that
    /// folder and its temporary file then fails with "unable to create temporary file: No such file or directory", as
    /// 2 of 8 renders of 500 tenants did. In the foreground, maintenance costs the round that asked for it its run time
    /// (the other stacks keep rendering meanwhile) and never races a write. The setting is given on the command line,
    /// so it reaches the git processes a command starts and leaves the repository's own configuration alone.
    /// </summary>
    private static readonly string[] s_maintenanceInForeground = ["-c", "gc.autoDetach=false", "-c", "maintenance.autoDetach=false"];

    /// <summary>Runs git and returns its output; fails with the command and git's message when it exits non-zero.</summary>
    /// <exception cref="InfraException">git failed.</exception>
    /// <param name="workTree">Where git runs.</param>
    /// <param name="arguments">git's arguments.</param>
    /// <param name="cancellationToken">Kills git.</param>
    /// <param name="input">Written to git's standard input (UTF-8), which is then closed; none when <see langword="null"/>.</param>
    public static async Task<string> RunAsync(string workTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null)
    {
        var result = await TryRunAsync(workTree, arguments, cancellationToken, input).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Output
            : throw new InfraException($"'git {string.Join(' ', arguments)}' failed in '{workTree}' (exit {result.ExitCode}): {result.Message}");
    }

    /// <summary>
    /// Runs git and returns its exit code and output, whatever the exit code. Git alone gets the SSH agent and ssh
    /// command (<see cref="ChildEnvironment.GitSshPassedOn"/>), for a remote reached over SSH.
    /// </summary>
    /// <param name="workTree">Where git runs.</param>
    /// <param name="arguments">git's arguments.</param>
    /// <param name="cancellationToken">Kills git.</param>
    /// <param name="input">Written to git's standard input (UTF-8), which is then closed; none when <see langword="null"/>.</param>
    public static Task<ExternalProcess.Result> TryRunAsync(string workTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null) =>
        ExternalProcess.RunAsync("git", [.. s_maintenanceInForeground, .. arguments], workTree, s_environment, cancellationToken, ChildEnvironment.GitSshPassedOn, input);
}
