using Infra.Processes;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// Pushes a GitOps work tree's commits to its remote (<c>kubernetes:gitopsRemote</c>). A push the remote rejects
/// because someone else pushed first is rebased on the remote branch and tried again, up to
/// <see cref="MaxAttempts"/> times; stacks own separate folders, so such a rebase only conflicts when two writers
/// changed the same stack. Any failure leaves the local commit in place (state already records the change), and the
/// next push, from the next <c>up</c> even when it changes nothing, sends it.
/// </summary>
internal static class GitOpsPush
{
    /// <summary>How many pushes are tried before giving up.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Pushes HEAD to <paramref name="branch"/> (or the current branch) of <paramref name="remote"/>.</summary>
    /// <param name="root">The work tree.</param>
    /// <param name="remote">The remote's URL or path.</param>
    /// <param name="branch">The remote branch, or <see langword="null"/> for the work tree's current branch.</param>
    /// <param name="identity">Arguments that give git a committer for the rebase.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <exception cref="InfraException">The push failed, or was still rejected after <see cref="MaxAttempts"/> rebases.</exception>
    public static async Task PushAsync(string root, string remote, string? branch, IReadOnlyList<string> identity, CancellationToken cancellationToken)
    {
        if ((await GitCommand.TryRunAsync(root, ["rev-parse", "--verify", "--quiet", "HEAD"], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            return;
        }

        var target = branch ?? (await GitCommand.RunAsync(root, ["symbolic-ref", "--short", "HEAD"], cancellationToken).ConfigureAwait(false)).Trim();
        string Kept(string why) =>
            $"pushing the GitOps commit to '{remote}' (branch {target}) failed: {why}. The commit is kept in '{root}' and state is saved; the next up pushes it again.";
        for (var attempt = 1; ; attempt++)
        {
            var push = await GitCommand.TryRunAsync(root, ["push", "--quiet", "--", remote, $"HEAD:refs/heads/{target}"], cancellationToken).ConfigureAwait(false);
            if (push.ExitCode == 0)
            {
                return;
            }

            if (!IsRejectedForNewerWork(push))
            {
                throw new InfraException(Kept(push.Message));
            }

            if (attempt == MaxAttempts)
            {
                throw new InfraException(Kept($"the remote moved on {MaxAttempts} times in a row while this commit was being rebased onto it"));
            }

            var fetch = await GitCommand.TryRunAsync(root, ["fetch", "--quiet", "--", remote, $"refs/heads/{target}"], cancellationToken).ConfigureAwait(false);
            if (fetch.ExitCode != 0)
            {
                throw new InfraException(Kept(fetch.Message));
            }

            // --autostash: other stacks may have written their folders without committing yet; their files come back as they were.
            var rebase = await GitCommand.TryRunAsync(root, [.. identity, "rebase", "--quiet", "--autostash", "FETCH_HEAD"], cancellationToken).ConfigureAwait(false);
            if (rebase.ExitCode != 0)
            {
                await GitCommand.TryRunAsync(root, ["rebase", "--abort"], CancellationToken.None).ConfigureAwait(false);
                throw new InfraException(Kept($"the remote changed the same files and the rebase stopped ({rebase.Message})"));
            }
        }
    }

    private static bool IsRejectedForNewerWork(ExternalProcess.Result push)
    {
        var text = push.Error + push.Output;
        return text.Contains("[rejected]", StringComparison.Ordinal) || text.Contains("non-fast-forward", StringComparison.Ordinal) ||
               text.Contains("fetch first", StringComparison.Ordinal);
    }
}
