using System.Data.Common;
using Infra.State.Sql;

namespace Infra.State.Sqlite;

/// <summary>
/// Group commit for one SQLite database in this process: state writes that arrive while a commit is under way wait
/// for it, then run together in the next transaction, each in its own savepoint, and share its single commit, and so
/// the single sync to disk that <c>synchronous=FULL</c> makes at every commit.
/// </summary>
/// <remarks>
/// <para>
/// With many stack operations in one process (an onboarding service's tenants, a render of hundreds of tenants), each
/// journal write, lock renewal and update record used to be a commit of its own, and the writers waited in line for
/// one another's syncs: on a disk with a journal the CPU sat idle for the syncs. A lone writer does not wait for
/// company: a group is whatever queued while the previous commit ran, so the latency of a write alone is unchanged.
/// </para>
/// <para>
/// Every call still gets exactly what it had alone. Its statements run in a savepoint: a call that fails is rolled
/// back to it, gets its own exception, and leaves the others' writes alone. A call completes only after the group's
/// commit returned, so what a caller was told is written is on disk. If the group cannot commit, or a savepoint cannot
/// be rolled back, every call of the group fails with that cause and nothing of the group is written. A call that is
/// cancelled while it waits leaves the queue and writes nothing; once taken into a group it runs or fails with it.
/// </para>
/// <para>
/// One committer at a time drains the queue, in arrival order, and takes this process's turn to write
/// (<see cref="SqliteWriterGate"/>) for each group, so writers of other processes still meet it at SQLite's lock.
/// Backends on the same file share the queue; a group holds only calls of backends with the same <c>synchronous</c>
/// setting, so a call never gets weaker durability than its backend promised.
/// </para>
/// </remarks>
/// <param name="gate">The turn to write to the database, which each group takes while it runs.</param>
internal sealed class SqliteGroupCommit(SqliteWriterGate gate)
{
    /// <summary>The most calls one group takes, so that a group's transaction stays short for writers of other processes.</summary>
    public const int MaxGroup = 256;

    private readonly Lock _sync = new();
    private readonly LinkedList<QueuedWrite> _queue = new();
    private bool _committing;
    private long _commits;

    /// <summary>How many groups this database has committed in this process.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>How many calls wait in the queue, not yet taken into a group.</summary>
    public int Waiting
    {
        get
        {
            lock (_sync)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="write"/> for the next group and returns its result once the group has committed.</summary>
    public Task<T> RunAsync<T>(SqliteStateBackend backend, SqlWrite<T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var queued = new QueuedWrite<T>(this, backend, write, cancellationToken);
        // Registered before the call is queued, so that the committer never sees it without its registration.
        queued.Registration = cancellationToken.Register(static state => ((QueuedWrite)state!).Withdraw(), queued);
        bool startCommitter;
        lock (_sync)
        {
            queued.Node = _queue.AddLast(queued);
            startCommitter = !_committing;
            _committing = true;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // Cancelled before it was queued: the callback found nothing to withdraw then.
            queued.Withdraw();
        }

        if (startCommitter)
        {
            // Off the caller's thread: the caller awaits its own result, not the whole queue.
            _ = Task.Run(CommitQueueAsync, CancellationToken.None);
        }

        return queued.Result;
    }

    private async Task CommitQueueAsync()
    {
        while (true)
        {
            var group = new List<QueuedWrite>();
            lock (_sync)
            {
                for (var next = _queue.First; next is not null && group.Count < MaxGroup && SameDurability(group, next.Value); next = _queue.First)
                {
                    _queue.RemoveFirst();
                    group.Add(next.Value);
                }

                if (group.Count == 0)
                {
                    _committing = false;
                    return;
                }
            }

            await CommitGroupAsync(group).ConfigureAwait(false);
        }
    }

    private static bool SameDurability(List<QueuedWrite> group, QueuedWrite next) =>
        group.Count == 0 || string.Equals(group[0].Backend.Synchronous, next.Backend.Synchronous, StringComparison.Ordinal);

    private async Task CommitGroupAsync(List<QueuedWrite> group)
    {
        var backend = group[0].Backend;
        try
        {
            await gate.EnterAsync(backend.BusyTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            FailAll(group, ex);
            return;
        }

        try
        {
            var written = new List<QueuedWrite>(group.Count);
            var committed = false;
            try
            {
                await using var session = await backend.RentGroupSessionAsync().ConfigureAwait(false);
                await using var transaction = await backend.BeginGroupWriteAsync(session.Connection).ConfigureAwait(false);
                foreach (var queued in group)
                {
                    if (await RunInSavepointAsync(queued, session, transaction).ConfigureAwait(false))
                    {
                        written.Add(queued);
                    }
                }

                await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                committed = true;
            }
            catch (Exception ex) when (!committed)
            {
                // Nothing of the group is written: the calls that had not failed on their own fail with the cause.
                FailAll(group.Where(q => !q.IsCompleted), ex);
                return;
            }
            catch (Exception) when (committed)
            {
                // Giving the transaction or the connection back failed after the commit: the group's writes are
                // durable all the same, so its calls succeed.
            }

            Interlocked.Increment(ref _commits);
            foreach (var queued in written)
            {
                queued.Complete();
            }
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>Runs one call in a savepoint; a call that fails is rolled back to it and fails alone.</summary>
    /// <returns>Whether the call's writes stay in the group's transaction.</returns>
    private static async Task<bool> RunInSavepointAsync(QueuedWrite queued, SqlSession session, DbTransaction transaction)
    {
        const string savepoint = "call";
        await transaction.SaveAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
        try
        {
            await queued.RunAsync(session, transaction).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A savepoint that cannot be rolled back throws here, out of the group: the whole group then fails.
            await transaction.RollbackAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
            await transaction.ReleaseAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
            queued.Fail(ex);
            return false;
        }

        await transaction.ReleaseAsync(savepoint, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    private static void FailAll(IEnumerable<QueuedWrite> calls, Exception cause)
    {
        foreach (var queued in calls)
        {
            queued.Fail(cause);
        }
    }

    /// <summary>One call waiting in the queue or running in a group.</summary>
    private abstract class QueuedWrite(SqliteGroupCommit owner, SqliteStateBackend backend, CancellationToken cancellationToken)
    {
        public SqliteStateBackend Backend { get; } = backend;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public LinkedListNode<QueuedWrite>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public abstract bool IsCompleted { get; }

        /// <summary>Takes the call out of the queue and cancels it, unless a group has taken it already.</summary>
        public void Withdraw()
        {
            lock (owner._sync)
            {
                if (Node is not { List: not null } node)
                {
                    return;
                }

                owner._queue.Remove(node);
            }

            Cancel();
        }

        public abstract Task RunAsync(SqlSession session, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception cause);

        public abstract void Cancel();
    }

    private sealed class QueuedWrite<T>(SqliteGroupCommit owner, SqliteStateBackend backend, SqlWrite<T> write, CancellationToken cancellationToken)
        : QueuedWrite(owner, backend, cancellationToken)
    {
        // Continuations run elsewhere: the committer must not run a caller's next steps inside its group.
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Result => _result.Task;

        public override bool IsCompleted => _result.Task.IsCompleted;

        public override async Task RunAsync(SqlSession session, DbTransaction transaction) =>
            _value = await write(session, transaction, CancellationToken).ConfigureAwait(false);

        // Unregister never waits for a callback under way (Dispose would, and the callback may be the caller).
        public override void Complete()
        {
            Registration.Unregister();
            _result.TrySetResult(_value!);
        }

        public override void Fail(Exception cause)
        {
            Registration.Unregister();
            _result.TrySetException(cause);
        }

        public override void Cancel()
        {
            Registration.Unregister();
            _result.TrySetCanceled(CancellationToken);
        }
    }
}
