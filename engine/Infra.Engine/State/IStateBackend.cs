using System.Collections.Immutable;

namespace Infra.State;

/// <summary>
/// Durable storage for stacks: resources, outputs, the journal of pending operations, locks and update history.
/// Backends store serialized JSON rows and do no interpretation; the engine's <c>StackStateStore</c>
/// parses them. Every backend passes the same conformance suite.
/// </summary>
/// <remarks>
/// Writes are fenced by the lock: <see cref="WriteAsync"/> fails with <see cref="LockLostException"/> unless the
/// caller still holds the stack's lock, so a holder whose lock was cancelled or taken over cannot corrupt state.
/// </remarks>
public interface IStateBackend : IAsyncDisposable
{
    /// <summary>A display form of the backend's location, with any password removed.</summary>
    string DisplayUrl { get; }

    /// <summary>Lists the stacks.</summary>
    Task<IReadOnlyList<StackSummary>> ListStacksAsync(CancellationToken cancellationToken);

    /// <summary>Returns one stack's summary, or <see langword="null"/> when it does not exist.</summary>
    Task<StackSummary?> GetStackAsync(string stack, CancellationToken cancellationToken);

    /// <summary>Creates an empty stack.</summary>
    /// <exception cref="StackExistsException">The stack already exists.</exception>
    Task CreateStackAsync(string stack, CancellationToken cancellationToken);

    /// <summary>Removes a stack with its history.</summary>
    /// <exception cref="Locks.StackLockedException">The stack is locked.</exception>
    /// <exception cref="StackNotFoundException">The stack does not exist.</exception>
    Task RemoveStackAsync(string stack, CancellationToken cancellationToken);

    /// <summary>Loads a stack's rows.</summary>
    /// <exception cref="StackNotFoundException">The stack does not exist.</exception>
    Task<StoredSnapshot> LoadAsync(string stack, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the stack's lock atomically, for a lease of <paramref name="lease"/> from now by the backend's own clock
    /// (the candidate's <see cref="LockInfo.Acquired"/> and <see cref="LockInfo.Expires"/> are not used: two machines'
    /// clocks are never compared). When another holder has it, <paramref name="isStale"/> decides (inside the same
    /// transaction) whether that holder is gone; if so, the lock is taken over and the old holder returned.
    /// </summary>
    Task<LockAttempt> TryAcquireLockAsync(string stack, LockInfo candidate, TimeSpan lease, Func<LockInfo, bool> isStale, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the lease to <paramref name="lease"/> from now by the backend's clock; returns false when the lock is
    /// no longer held by <paramref name="lockId"/>.
    /// </summary>
    Task<bool> RenewLockAsync(string stack, string lockId, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Releases the lock if <paramref name="lockId"/> holds it.</summary>
    Task ReleaseLockAsync(string stack, string lockId, CancellationToken cancellationToken);

    /// <summary>Returns the current lock holder, or <see langword="null"/>.</summary>
    Task<LockInfo?> GetLockAsync(string stack, CancellationToken cancellationToken);

    /// <summary>Releases the lock whoever holds it; returns the holder that was removed, if any.</summary>
    Task<LockInfo?> ForceReleaseLockAsync(string stack, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="mutations"/> in order, in one transaction, if <paramref name="lockId"/> still holds the
    /// lock; returns the new serial.
    /// </summary>
    /// <exception cref="LockLostException">The lock is no longer held by <paramref name="lockId"/>.</exception>
    Task<long> WriteAsync(string stack, string lockId, IReadOnlyList<StoredMutation> mutations, CancellationToken cancellationToken);

    /// <summary>Records the start of an update and returns its ID.</summary>
    Task<long> StartUpdateAsync(string stack, UpdateRecord update, CancellationToken cancellationToken);

    /// <summary>Records the end of an update.</summary>
    Task FinishUpdateAsync(string stack, long updateId, string result, string countsJson, DateTimeOffset ended, CancellationToken cancellationToken);

    /// <summary>Lists a stack's updates, newest first.</summary>
    Task<IReadOnlyList<UpdateRecord>> ListUpdatesAsync(string stack, CancellationToken cancellationToken);
}

/// <summary>One stack in a backend.</summary>
/// <param name="Name">The stack name.</param>
/// <param name="Serial">The state serial.</param>
/// <param name="ResourceCount">How many resources state holds.</param>
/// <param name="LastUpdate">When state last changed.</param>
public sealed record StackSummary(string Name, long Serial, int ResourceCount, DateTimeOffset? LastUpdate);

/// <summary>A stack's rows as stored: JSON text, parsed by <c>StackStateStore</c>.</summary>
/// <param name="Serial">The state serial.</param>
/// <param name="OutputsJson">The stack outputs.</param>
/// <param name="Resources">Resource rows.</param>
/// <param name="Pending">Pending operation rows.</param>
public sealed record StoredSnapshot(long Serial, string OutputsJson, ImmutableArray<string> Resources, ImmutableArray<string> Pending);

/// <summary>One change to a stack's rows.</summary>
public abstract record StoredMutation
{
    private StoredMutation()
    {
    }

    /// <summary>Inserts or replaces a resource row, keyed by URN and pending-delete flag.</summary>
    public sealed record UpsertResource(string Urn, bool PendingDelete, string Json) : StoredMutation;

    /// <summary>Deletes a resource row.</summary>
    public sealed record DeleteResource(string Urn, bool PendingDelete) : StoredMutation;

    /// <summary>Renames a resource row (an alias was followed).</summary>
    public sealed record RenameResource(string OldUrn, string NewUrn) : StoredMutation;

    /// <summary>Adds a journal entry.</summary>
    public sealed record AddPending(string Id, string Json) : StoredMutation;

    /// <summary>Removes a journal entry.</summary>
    public sealed record RemovePending(string Id) : StoredMutation;

    /// <summary>Replaces the stack outputs.</summary>
    public sealed record SetOutputs(string Json) : StoredMutation;

    /// <summary>Deletes every resource and journal row (stack import).</summary>
    public sealed record Clear : StoredMutation;
}

/// <summary>Who holds a stack's lock.</summary>
public sealed record LockInfo
{
    /// <summary>A unique ID per acquisition; writes are fenced on it.</summary>
    public required string LockId { get; init; }

    /// <summary>The user that took it.</summary>
    public required string Owner { get; init; }

    /// <summary>The host it was taken on.</summary>
    public required string Host { get; init; }

    /// <summary>The holder's process ID.</summary>
    public int Pid { get; init; }

    /// <summary>The holder process's start time as the OS reports it, so a reused PID is not mistaken for the holder.</summary>
    public string? ProcessStart { get; init; }

    /// <summary>What the holder is doing, e.g. <c>update</c>.</summary>
    public string Operation { get; init; } = "update";

    /// <summary>When it was taken, by the backend's clock.</summary>
    public DateTimeOffset Acquired { get; init; }

    /// <summary>When the lease ends unless renewed by the holder's heartbeat, by the backend's clock.</summary>
    public DateTimeOffset Expires { get; init; }

    /// <summary>
    /// Whether the lease had ended when the backend read this record, judged by the backend's own clock
    /// (PostgreSQL's <c>now()</c>, SQLite's time on the machine holding the file), never the reader's.
    /// </summary>
    public bool LeaseExpired { get; init; }

    /// <summary>A one-line description for messages, e.g. <c>alice@build-7 (pid 4211, update since 10:02:11Z)</c>.</summary>
    public string Describe() =>
        $"{Owner}@{Host} (pid {Pid}, {Operation} since {Acquired.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, lease until {Expires.UtcDateTime:HH:mm:ss}Z)";
}

/// <summary>The result of a lock attempt.</summary>
/// <param name="Acquired">True when the caller now holds the lock.</param>
/// <param name="Holder">The current holder when not acquired; the displaced holder after a takeover.</param>
public sealed record LockAttempt(bool Acquired, LockInfo? Holder)
{
    /// <summary>True when the lock was taken over from a holder that was gone.</summary>
    public bool TookOver => Acquired && Holder is not null;
}

/// <summary>One update in a stack's history.</summary>
public sealed record UpdateRecord
{
    /// <summary>The update's ID.</summary>
    public long Id { get; init; }

    /// <summary>update, refresh, destroy or import.</summary>
    public required string Kind { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>When it ended, if it did.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>in-progress, succeeded, failed, cancelled or interrupted.</summary>
    public string Result { get; init; } = "in-progress";

    /// <summary>Change counts by action, as JSON.</summary>
    public string CountsJson { get; init; } = "{}";

    /// <summary>Who ran it.</summary>
    public string User { get; init; } = string.Empty;

    /// <summary>Where it ran.</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>The process that ran it.</summary>
    public int Pid { get; init; }

    /// <summary>
    /// The stack's settings file as the update used it (secure values still encrypted), so a rollback can apply it
    /// again; <see langword="null"/> for updates recorded before this was kept.
    /// </summary>
    public string? Config { get; init; }

    /// <summary>The project's program version: its git commit, when the project is in a git work tree.</summary>
    public string? ProgramVersion { get; init; }
}

/// <summary>Thrown when a write finds the caller no longer holds the stack's lock.</summary>
public sealed class LockLostException : InfraException
{
    /// <summary>Creates the exception for <paramref name="stack"/>.</summary>
    public LockLostException(string stack)
        : base($"stack '{stack}': this run no longer holds the stack's lock (it was cancelled or taken over); stopping without further changes.")
    {
        Stack = stack;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }
}
