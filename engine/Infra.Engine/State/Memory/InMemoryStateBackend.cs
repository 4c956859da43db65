using System.Collections.Immutable;
using Infra.Locks;

namespace Infra.State.Memory;

/// <summary>
/// A backend that keeps everything in process memory, for the testing kit and unit tests. It follows the same
/// contract as the durable backends (atomic locks, fenced writes, serials) and passes the same conformance suite,
/// but nothing survives the process.
/// </summary>
public sealed class InMemoryStateBackend : IStateBackend
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, StackData> _stacks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LockInfo> _locks = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private long _nextUpdateId;

    /// <summary>Creates an empty backend whose clock (for lock leases) is <paramref name="clock"/>, or the system's.</summary>
    public InMemoryStateBackend(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <inheritdoc/>
    public string DisplayUrl => "memory://";

    /// <inheritdoc/>
    public Task<IReadOnlyList<StackSummary>> ListStacksAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StackSummary>>([.. _stacks.Select(static kv => kv.Value.Summary(kv.Key))]);
        }
    }

    /// <inheritdoc/>
    public Task<StackSummary?> GetStackAsync(string stack, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_stacks.TryGetValue(stack, out var data) ? data.Summary(stack) : null);
        }
    }

    /// <inheritdoc/>
    public Task CreateStackAsync(string stack, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_stacks.TryAdd(stack, new StackData()))
            {
                throw new StackExistsException(stack, DisplayUrl);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task RemoveStackAsync(string stack, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_locks.TryGetValue(stack, out var holder))
            {
                throw new StackLockedException(stack, holder);
            }

            if (!_stacks.Remove(stack))
            {
                throw new StackNotFoundException(stack, DisplayUrl);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<StoredSnapshot> LoadAsync(string stack, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var data = Get(stack);
            return Task.FromResult(new StoredSnapshot(
                data.Serial, data.Outputs, [.. data.Resources.Values], [.. data.Pending.Values]));
        }
    }

    /// <inheritdoc/>
    public Task<LockAttempt> TryAcquireLockAsync(string stack, LockInfo candidate, TimeSpan lease, Func<LockInfo, bool> isStale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(isStale);
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            var taken = candidate with { Acquired = now, Expires = now + lease, LeaseExpired = false };
            if (!_locks.TryGetValue(stack, out var holder))
            {
                _locks[stack] = taken;
                return Task.FromResult(new LockAttempt(true, null));
            }

            holder = Judged(holder);
            if (isStale(holder))
            {
                _locks[stack] = taken;
                return Task.FromResult(new LockAttempt(true, holder));
            }

            return Task.FromResult(new LockAttempt(false, holder));
        }
    }

    /// <inheritdoc/>
    public Task<bool> RenewLockAsync(string stack, string lockId, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_locks.TryGetValue(stack, out var holder) && holder.LockId == lockId)
            {
                _locks[stack] = holder with { Expires = _clock.GetUtcNow() + lease };
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    /// <inheritdoc/>
    public Task ReleaseLockAsync(string stack, string lockId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_locks.TryGetValue(stack, out var holder) && holder.LockId == lockId)
            {
                _locks.Remove(stack);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<LockInfo?> GetLockAsync(string stack, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_locks.TryGetValue(stack, out var holder) ? Judged(holder) : null);
        }
    }

    /// <inheritdoc/>
    public Task<LockInfo?> ForceReleaseLockAsync(string stack, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_locks.Remove(stack, out var holder) ? Judged(holder) : null);
        }
    }

    /// <summary>The record as read now: whether its lease has ended, by this backend's clock.</summary>
    private LockInfo Judged(LockInfo holder) => holder with { LeaseExpired = holder.Expires < _clock.GetUtcNow() };

    /// <inheritdoc/>
    public Task<long> WriteAsync(string stack, string lockId, IReadOnlyList<StoredMutation> mutations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutations);
        lock (_gate)
        {
            if (!_locks.TryGetValue(stack, out var holder) || holder.LockId != lockId)
            {
                throw new LockLostException(stack);
            }

            var data = Get(stack);
            foreach (var mutation in mutations)
            {
                switch (mutation)
                {
                    case StoredMutation.UpsertResource u:
                        data.Resources[(u.Urn, u.PendingDelete)] = u.Json;
                        break;
                    case StoredMutation.DeleteResource d:
                        data.Resources.Remove((d.Urn, d.PendingDelete));
                        break;
                    case StoredMutation.RenameResource r:
                        if (data.Resources.Remove((r.OldUrn, false), out var json))
                        {
                            data.Resources[(r.NewUrn, false)] = json;
                        }

                        break;
                    case StoredMutation.AddPending a:
                        data.Pending[a.Id] = a.Json;
                        break;
                    case StoredMutation.RemovePending p:
                        data.Pending.Remove(p.Id);
                        break;
                    case StoredMutation.SetOutputs o:
                        data.Outputs = o.Json;
                        break;
                    case StoredMutation.Clear:
                        data.Resources.Clear();
                        data.Pending.Clear();
                        break;
                }
            }

            data.Serial++;
            data.Updated = DateTimeOffset.UtcNow;
            return Task.FromResult(data.Serial);
        }
    }

    /// <inheritdoc/>
    public Task<long> StartUpdateAsync(string stack, UpdateRecord update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            var id = ++_nextUpdateId;
            Get(stack).Updates.Add(update with { Id = id });
            return Task.FromResult(id);
        }
    }

    /// <inheritdoc/>
    public Task FinishUpdateAsync(string stack, long updateId, string result, string countsJson, DateTimeOffset ended, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var updates = Get(stack).Updates;
            var index = updates.FindIndex(u => u.Id == updateId);
            if (index >= 0)
            {
                updates[index] = updates[index] with { Result = result, CountsJson = countsJson, Ended = ended };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<UpdateRecord>> ListUpdatesAsync(string stack, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<UpdateRecord>>([.. Get(stack).Updates.OrderByDescending(static u => u.Id)]);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private StackData Get(string stack) =>
        _stacks.TryGetValue(stack, out var data) ? data : throw new StackNotFoundException(stack, DisplayUrl);

    private sealed class StackData
    {
        public long Serial { get; set; }

        public string Outputs { get; set; } = "{}";

        public DateTimeOffset Updated { get; set; } = DateTimeOffset.UtcNow;

        public SortedDictionary<(string Urn, bool PendingDelete), string> Resources { get; } = new();

        public SortedDictionary<string, string> Pending { get; } = new(StringComparer.Ordinal);

        public List<UpdateRecord> Updates { get; } = [];

        public StackSummary Summary(string name) =>
            new(name, Serial, Resources.Keys.Count(static k => !k.PendingDelete), Updated);
    }
}
