using System.Collections.Concurrent;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// Group commit for one GitOps work tree: the stacks of this process that finish an update at about the same time
/// share one commit and one push. The first stack to finish gathers the others for <see cref="GatherWindow"/>, and
/// for as long as other stacks of the process are still writing their folders (up to <see cref="MaxGather"/>);
/// stacks finishing while that commit runs form the next one. Without it every tenant's update waited in line for the
/// repository's git lock and then for its own four git processes and push, so commits serialized tenants that
/// otherwise ran in parallel.
/// </summary>
/// <remarks>
/// One instance per work tree and remote in the process, on purpose: providers are created per operation, while the
/// work tree's index (and its git lock) is shared by every stack and provider in the process. A commit only ever
/// takes the folders of the stacks it names, and its message says what happened to each.
/// </remarks>
internal sealed class GitOpsGroupCommit
{
    /// <summary>How long the first stack of a commit waits for others to join it.</summary>
    public static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(5);

    // A stack that wrote and never came to commit (its operation was cancelled, say) stops being waited for after this.
    private static readonly TimeSpan s_staleWriter = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<string, GitOpsGroupCommit> s_committers = new(StringComparer.Ordinal);

    // The last update committed per stack folder. The kubernetes and helm providers both observe the end of an update
    // and both commit the same folder; once one has, the other's round would find nothing.
    private readonly ConcurrentDictionary<string, Guid> _committed = new(StringComparer.Ordinal);
    private readonly GitOpsRepository _repository;
    private readonly RoundPack _pack = new();
    // Stacks that wrote into their folders since they last asked for a commit, with when they last wrote.
    private readonly ConcurrentDictionary<string, long> _writing = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private List<Request> _pending = [];
    private long _rounds;
    private bool _draining;

    private GitOpsGroupCommit(GitOpsRepository repository) => _repository = repository;

    /// <summary>
    /// How long a commit round waits at most for more stacks while others of the process are writing their folders:
    /// each round costs about the same whatever it carries (git reads and rewrites the
    /// whole index twice, five git processes), so a round that waits for the renders under way replaces several. A
    /// stack that finishes alone commits after <see cref="GatherWindow"/>.
    /// </summary>
    internal TimeSpan MaxGather { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Every how many commit rounds the object store is repacked (<see cref="GitMaintenance"/>).</summary>
    internal int RoundsBetweenRepacks { get; set; } = GitMaintenance.RoundsBetween;

    /// <summary>The group commit of the repository's work tree (and remote) in this process.</summary>
    public static GitOpsGroupCommit For(GitOpsRepository repository) =>
        s_committers.GetOrAdd($"{Path.GetFullPath(repository.Root)}\0{repository.Remote}\0{repository.Branch}", _ => new GitOpsGroupCommit(repository));

    /// <summary>Commits the stack's folder together with whatever other stacks finish now; see <see cref="GitOpsRepository.CommitAsync"/>.</summary>
    /// <param name="completion">The update that finished.</param>
    /// <param name="cancellationToken">Stops waiting; the commit itself still happens, as the folder is already written.</param>
    public Task<string?> CommitAsync(UpdateCompletion completion, CancellationToken cancellationToken)
    {
        if (_committed.TryGetValue(completion.Stack, out var last) && last == completion.UpdateId)
        {
            // The other provider observing the same update asks too; its round committed (and pushed) the folder.
            _writing.TryRemove(completion.Stack, out _);
            return Task.FromResult<string?>(null);
        }

        var request = new Request(completion);
        bool lead;
        lock (_gate)
        {
            _pending.Add(request);
            lead = !_draining;
            _draining = true;
        }

        // Only now that it waits in the round: a round deciding in between would have found it neither writing nor
        // waiting, and gone without it.
        _writing.TryRemove(completion.Stack, out _);

        if (lead)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return request.Result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Notes that the stack is writing its folder: a commit round waits (up to <see cref="MaxGather"/>) for it to ask for its commit.</summary>
    public void NoteWriting(string stack) => _writing[stack] = Environment.TickCount64;

    /// <summary>Notes that the stack's writes were committed some other way (a hand-made change's own commit).</summary>
    public void NoteCommitted(string stack) => _writing.TryRemove(stack, out _);

    private async Task DrainAsync()
    {
        while (true)
        {
            var started = Environment.TickCount64;
            do
            {
                await Task.Delay(GatherWindow).ConfigureAwait(false);
            }
            while (Environment.TickCount64 - started < MaxGather.TotalMilliseconds && MoreAreComing());

            List<Request> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _draining = false;
                    return;
                }

                (batch, _pending) = (_pending, []);
            }

            try
            {
                var subjects = await CommitBatchAsync([.. batch.Select(static r => r.Completion)]).ConfigureAwait(false);
                foreach (var request in batch)
                {
                    request.Result.TrySetResult(subjects.GetValueOrDefault(request.Completion));
                }
            }
            catch (Exception ex)
            {
                foreach (var request in batch)
                {
                    request.Result.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>One commit of every changed folder among <paramref name="completions"/>, then one push.</summary>
    /// <returns>Per completion that took part in the commit, its subject.</returns>
    private async Task<Dictionary<UpdateCompletion, string>> CommitBatchAsync(List<UpdateCompletion> completions)
    {
        var cancellationToken = CancellationToken.None;
        var root = _repository.Root;
        await _repository.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        // One update per stack: a second observer of the same update (or a repeat of a committed one) adds nothing.
        // Only this drain loop writes _committed (CommitAsync and MoreAreComing only read it), so it needs no lock.
        var due = completions
            .Where(c => !(_committed.TryGetValue(c.Stack, out var last) && last == c.UpdateId))
            .DistinctBy(static c => c.Stack, StringComparer.Ordinal)
            .ToList();
        // Before the git lock, which other processes' commits wait for: each folder's kustomization, once per update.
        foreach (var completion in due)
        {
            await _repository.UpdateKustomizationAsync(completion.Stack, cancellationToken).ConfigureAwait(false);
        }

        using var hold = await _repository.LockGitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var completion in due.Where(static c => c.Kind == "destroy" && c.Succeeded))
        {
            _repository.RemoveFolderIfEmpty(completion.Stack);
        }

        // A folder that is gone needs a commit only if git still tracks files in it.
        var gone = due.Where(c => !Directory.Exists(_repository.StackFolder(c.Stack))).Select(static c => c.Stack).ToList();
        var tracked = gone.Count == 0
            ? []
            : (await GitCommand.RunAsync(root, ["ls-files", "-z", "--", .. gone], cancellationToken).ConfigureAwait(false))
                .Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(TopFolder).ToHashSet(StringComparer.Ordinal);
        var stacks = due.Select(static c => c.Stack).Where(s => !gone.Contains(s) || tracked.Contains(s)).ToList();

        var subjects = new Dictionary<UpdateCompletion, string>();
        if (stacks.Count > 0)
        {
            await _pack.PackAsync(root, stacks, cancellationToken).ConfigureAwait(false);
            await GitCommand.RunAsync(root, ["add", "--all", "--", .. stacks], cancellationToken).ConfigureAwait(false);
            var index = await IndexCommit.PrepareAsync(root, cancellationToken).ConfigureAwait(false);
            // The whole index, not just these folders: when nothing else is staged, the commit needs no pathspec, and
            // `git commit -- <paths>` (which builds a temporary index) costs about three times a plain commit.
            var staged = (await (index is null
                    ? GitCommand.RunAsync(root, ["diff", "--cached", "--no-renames", "--name-status", "-z"], cancellationToken)
                    : index.StagedAsync(cancellationToken)).ConfigureAwait(false))
                .Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var changes = Enumerable.Range(0, staged.Length / 2)
                .Select(i => (Status: staged[2 * i][0], Stack: TopFolder(staged[(2 * i) + 1])))
                .ToLookup(static change => change.Stack, static change => change.Status, StringComparer.Ordinal);
            var changed = due.Where(c => changes.Contains(c.Stack)).ToList();
            if (changed.Count > 0)
            {
                var (subject, body) = Message(changed, changes);
                var identity = await _repository.IdentityAsync(cancellationToken).ConfigureAwait(false);
                if (changes.Count == changed.Count && index is not null && await index.CanCommitAsync(cancellationToken).ConfigureAwait(false))
                {
                    await index.CommitAsync(identity, subject, body, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var onlyThese = changes.Count == changed.Count;
                    await GitCommand.RunAsync(root, [.. identity, "commit", "--quiet", "-m", subject, "-m", body,
                        .. onlyThese ? [] : (string[])["--", .. changed.Select(static c => c.Stack)]], cancellationToken).ConfigureAwait(false);
                }

                foreach (var completion in changed)
                {
                    subjects[completion] = subject;
                }

                if (++_rounds % RoundsBetweenRepacks == 0)
                {
                    await GitMaintenance.RepackAsync(root, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (var completion in due)
        {
            _committed[completion.Stack] = completion.UpdateId;
        }

        if (_repository.Remote is { } remote)
        {
            await GitOpsPush.PushAsync(root, remote, _repository.Branch, await _repository.IdentityAsync(cancellationToken).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
        }

        return subjects;
    }

    /// <summary>
    /// A single stack's commit says what happened to it in the subject; a group commit counts its stacks in the subject
    /// and gives each its own line in the body, so <c>git log --grep</c> still finds a stack's commits.
    /// </summary>
    private static (string Subject, string Body) Message(List<UpdateCompletion> changed, ILookup<string, char> changes)
    {
        static string What(UpdateCompletion c) =>
            $"{c.Kind} stack '{c.Stack}' ({c.ChangedResources} resource change(s){(c.Succeeded ? string.Empty : ", partial: the operation failed")})";
        string Files(UpdateCompletion c) =>
            $"{changes[c.Stack].Count(static s => s == 'A')} file(s) added, {changes[c.Stack].Count(static s => s == 'M')} changed, " +
            $"{changes[c.Stack].Count(static s => s == 'D')} removed under {c.Stack}/.";
        if (changed.Count == 1)
        {
            return ($"infra: {What(changed[0])}", Files(changed[0]));
        }

        var ordered = changed.OrderBy(static c => c.Stack, StringComparer.Ordinal).ToList();
        return ($"infra: {changed.Count} stacks in one commit ({changed.Sum(static c => c.ChangedResources)} resource change(s))",
            string.Join('\n', ordered.Select(c => $"{What(c)}: {Files(c)}")));
    }

    /// <summary>
    /// Whether the round should wait for more: it carries a change still to commit, and another stack of the process is
    /// writing its folder, so its request is moments away. Stacks that merely finished recently are not waited for:
    /// under a steady stream that made every round, and every lone tenant, wait the whole <see cref="MaxGather"/>
    /// while the stacks' slots sat idle.
    /// </summary>
    private bool MoreAreComing()
    {
        HashSet<string> waiting;
        lock (_gate)
        {
            waiting = _pending.Where(r => !(_committed.TryGetValue(r.Completion.Stack, out var last) && last == r.Completion.UpdateId))
                .Select(static r => r.Completion.Stack).ToHashSet(StringComparer.Ordinal);
        }

        return waiting.Count > 0 && AnotherIsWriting(waiting);
    }

    // Whether a stack outside `waiting` is writing its folder; forgets writers gone quiet for s_staleWriter.
    private bool AnotherIsWriting(HashSet<string> waiting)
    {
        var now = Environment.TickCount64;
        var found = false;
        foreach (var (stack, at) in _writing)
        {
            if (now - at >= s_staleWriter.TotalMilliseconds)
            {
                _writing.TryRemove(KeyValuePair.Create(stack, at));
            }
            else
            {
                found |= !waiting.Contains(stack);
            }
        }

        return found;
    }

    private static string TopFolder(string path) => path.Split('/', 2)[0];

    private sealed class Request(UpdateCompletion completion)
    {
        public UpdateCompletion Completion { get; } = completion;

        public TaskCompletionSource<string?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
