using Infra.State;

namespace Infra.Locks;

/// <summary>
/// A held stack lock with a heartbeat. The lease is renewed every third of its length; if a renewal finds the
/// lock gone (cancelled or taken over), <see cref="Lost"/> is cancelled so the holder stops before writing.
/// </summary>
public sealed class StackLock : IAsyncDisposable
{
    private readonly IStateBackend _backend;
    private readonly TimeSpan _lease;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;

    private StackLock(IStateBackend backend, string stack, LockInfo info, TimeSpan lease, LockInfo? displaced)
    {
        _backend = backend;
        Stack = stack;
        Info = info;
        _lease = lease;
        Displaced = displaced;
        _heartbeat = Task.Run(HeartbeatAsync);
    }

    /// <summary>The locked stack.</summary>
    public string Stack { get; }

    /// <summary>This holder's lock record.</summary>
    public LockInfo Info { get; }

    /// <summary>The holder this lock was taken over from, if its process was gone or its lease expired.</summary>
    public LockInfo? Displaced { get; }

    /// <summary>Cancelled when the lock is found to be lost.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>The default lease: how long a holder on another host may be silent before its lock can be taken over.</summary>
    public static TimeSpan DefaultLease { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Takes the stack's lock or fails at once, naming the holder.</summary>
    /// <exception cref="StackLockedException">Another live holder has the lock.</exception>
    public static async Task<StackLock> AcquireAsync(
        IStateBackend backend, string stack, string operation, TimeSpan? lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var length = lease ?? DefaultLease;
        // No times of our own: the backend sets the lease by its clock, so a holder's skewed clock cannot shorten
        // or stretch it.
        var candidate = new LockInfo
        {
            LockId = Guid.NewGuid().ToString("N"),
            Owner = ProcessIdentity.User,
            Host = ProcessIdentity.Host,
            Pid = ProcessIdentity.Pid,
            ProcessStart = ProcessIdentity.CurrentStart,
            Operation = operation,
        };
        var attempt = await backend.TryAcquireLockAsync(stack, candidate, length, IsStale, cancellationToken).ConfigureAwait(false);
        if (!attempt.Acquired)
        {
            throw new StackLockedException(stack, attempt.Holder);
        }

        return new StackLock(backend, stack, candidate, length, attempt.Holder);
    }

    /// <summary>
    /// True when <paramref name="holder"/> is gone: its lease expired (by the backend's clock, as the backend read
    /// it), or it ran on this host and its process no longer exists (so a holder killed with SIGKILL never makes the
    /// next run wait).
    /// </summary>
    public static bool IsStale(LockInfo holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        if (holder.LeaseExpired)
        {
            return true;
        }

        return string.Equals(holder.Host, ProcessIdentity.Host, StringComparison.Ordinal) &&
               !ProcessIdentity.IsAlive(holder.Pid, holder.ProcessStart);
    }

    /// <summary>
    /// The fence for actions outside state (provider calls): checks with the backend that this run still holds the
    /// lock, renewing a lease the backend judges ended but nobody took over. A lock found lost cancels
    /// <see cref="Lost"/>, so calls already queued stop too.
    /// </summary>
    /// <remarks>
    /// State writes are fenced inside their transaction; a provider acts on the world, where no transaction can
    /// include the check, so the check comes just before each call. The heartbeat alone would notice a takeover only
    /// at its next beat, a third of a lease later.
    /// </remarks>
    /// <exception cref="LockLostException">The lock was cancelled or taken over.</exception>
    public async Task EnsureHeldAsync(CancellationToken cancellationToken)
    {
        if (!_lost.IsCancellationRequested)
        {
            var holder = await _backend.GetLockAsync(Stack, cancellationToken).ConfigureAwait(false);
            if (holder?.LockId == Info.LockId &&
                (!holder.LeaseExpired || await _backend.RenewLockAsync(Stack, Info.LockId, _lease, cancellationToken).ConfigureAwait(false)))
            {
                return;
            }

            await _lost.CancelAsync().ConfigureAwait(false);
        }

        throw new LockLostException(Stack);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _heartbeat.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            await _backend.ReleaseLockAsync(Stack, Info.LockId, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose();
            _lost.Dispose();
        }
    }

    private async Task HeartbeatAsync()
    {
        var interval = _lease / 3;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
            try
            {
                if (!await _backend.RenewLockAsync(Stack, Info.LockId, _lease, _stop.Token).ConfigureAwait(false))
                {
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A transient backend failure: the lease still runs; the next beat tries again.
            }
        }
    }
}
