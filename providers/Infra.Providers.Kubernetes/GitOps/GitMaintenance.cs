namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// How the GitOps work tree's object store is kept in shape: by the commit rounds themselves, every
/// <see cref="RoundsBetween"/> rounds, under the repository's git lock, with a geometric repack; never by git's
/// automatic maintenance.
/// </summary>
/// <remarks>
/// <para>
/// git's automatic maintenance (<c>gc --auto</c>, started by <c>commit</c>, <c>fetch</c>, <c>rebase</c> and
/// <c>maintenance run --auto</c>) fails this work tree twice. Detached, as it is by default, it outlives the git lock
/// that every write to the object store here takes, and its <c>prune-packed</c> removes every emptied
/// <c>objects/xx</c> folder: a commit round writing a loose object between git's <c>mkdir</c> of that folder and its
/// temporary file then fails with "unable to create temporary file: No such file or directory", as 2 of 8 renders of
/// 500 tenants did. And once more than 50 packs gather (each commit round adds one, see <see cref="RoundPack"/>), it
/// repacks the whole store with delta compression: a second or more of CPU every 50 rounds, growing with the tree.
/// </para>
/// <para>
/// A geometric repack instead merges only the packs (and loose objects) that break a progression of sizes, each at
/// least twice the next smaller, so its work follows what was written since it last ran: 10 to 25 ms of CPU at 500
/// tenants. It never deletes an unreachable object; a full <c>git gc</c> does, run by an operator while nothing
/// writes to the tree (docs/onboarding-service.md: with the service stopped).
/// </para>
/// </remarks>
internal static class GitMaintenance
{
    /// <summary>Every how many commit rounds the object store is repacked.</summary>
    internal const int RoundsBetween = 8;

    /// <summary>
    /// Given to every git command run here, so that no command starts git's own automatic maintenance (nor a bare
    /// <c>gc --auto</c>); on the command line, so the repository's own configuration (and a user's git in the same
    /// tree) is left alone, and git does not carry it across to a remote repository.
    /// </summary>
    internal static IReadOnlyList<string> CommandLineSettings { get; } = ["-c", "maintenance.auto=false", "-c", "gc.auto=0"];

    /// <summary>Repacks the store geometrically, loose objects included. Call it holding the repository's git lock.</summary>
    /// <exception cref="InfraException">git failed.</exception>
    public static Task RepackAsync(string root, CancellationToken cancellationToken) =>
        GitCommand.RunAsync(root, ["repack", "--geometric=2", "-d", "-q"], cancellationToken);
}
