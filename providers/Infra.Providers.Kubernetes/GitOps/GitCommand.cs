using Infra.Processes;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// Runs the real <c>git</c> in a work tree, never prompting: this runs unattended. No command run here starts git's
/// automatic maintenance (<see cref="GitMaintenance"/> says why and what replaces it).
/// </summary>
internal static class GitCommand
{
    /// <summary>
    /// The glibc setting every git run here gets (<c>GLIBC_TUNABLES</c>): keep up to 4 MB of freed memory at the top of
    /// the heap instead of handing it back to the kernel at once.
    /// </summary>
    /// <remarks>
    /// git deflates every object it stores through a fresh zlib stream, about 270 KB allocated and freed per object.
    /// glibc's default returns that memory to the kernel at each free, so the next object faults it in again page by
    /// page, and every return flushes the process's TLB on each core it ran on. <c>git fast-import</c> storing a commit
    /// round's 70 manifests (<see cref="RoundPack"/>) took 34-43 ms of CPU and 1,500 page faults; with this setting
    /// 11-15 ms and 260-390 (docs/benchmarks.md). Setting it also stops glibc from raising its thresholds as large
    /// blocks are freed; zlib's buffers are each under the 128 KB mmap threshold, so they stay on the heap either way.
    /// A git process lives for milliseconds, so what it keeps is its own.
    /// </remarks>
    internal const string MallocTunables = "glibc.malloc.trim_threshold=4194304";

    private static readonly Dictionary<string, string> s_environment = new()
    {
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_EDITOR"] = "true",
        ["GLIBC_TUNABLES"] = MallocTunables,
    };

    /// <summary>Runs git and returns its output; fails with the command and git's message when it exits non-zero.</summary>
    /// <exception cref="InfraException">git failed.</exception>
    /// <param name="workTree">Where git runs.</param>
    /// <param name="arguments">git's arguments.</param>
    /// <param name="cancellationToken">Kills git.</param>
    /// <param name="input">Written to git's standard input (UTF-8), which is then closed; none when <see langword="null"/>.</param>
    public static Task<string> RunAsync(string workTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null) =>
        RunCheckedAsync(workTree, arguments, s_environment, input, cancellationToken);

    /// <summary>
    /// Runs git as <see cref="RunAsync"/> does, but pointed at an index file that does not exist
    /// (<c>GIT_INDEX_FILE</c>), so that it starts with an empty index: for commands whose answer comes from objects
    /// alone and that still read the work tree's whole index as they start. <c>git diff-tree</c> of two trees does, and
    /// at 500 tenants (about 10,000 entries, 1 MB) reading and checksumming it was four fifths of the command's CPU:
    /// 33 ms against 7 ms without it. Not for a command that writes the index or whose answer depends on it.
    /// </summary>
    /// <exception cref="InfraException">git failed.</exception>
    /// <param name="workTree">Where git runs; its <c>.git</c> is a folder, as everywhere in the GitOps provider.</param>
    /// <param name="arguments">git's arguments.</param>
    /// <param name="cancellationToken">Kills git.</param>
    public static Task<string> RunWithoutIndexAsync(string workTree, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        // Never created (git reads a missing index file as an empty index), and under .git, which only the platform writes.
        var environment = new Dictionary<string, string>(s_environment)
        {
            ["GIT_INDEX_FILE"] = Path.GetFullPath(Path.Combine(workTree, ".git", "infra", "no-index")),
        };
        return RunCheckedAsync(workTree, arguments, environment, input: null, cancellationToken);
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
        TryRunAsync(workTree, arguments, s_environment, input, cancellationToken);

    private static Task<ExternalProcess.Result> TryRunAsync(
        string workTree, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? input, CancellationToken cancellationToken) =>
        ExternalProcess.RunAsync("git", [.. GitMaintenance.CommandLineSettings, .. arguments], workTree, environment, cancellationToken, ChildEnvironment.GitSshPassedOn, input);

    private static async Task<string> RunCheckedAsync(
        string workTree, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string? input, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(workTree, arguments, environment, input, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.Output
            : throw new InfraException($"'git {string.Join(' ', arguments)}' failed in '{workTree}' (exit {result.ExitCode}): {result.Message}");
    }
}
