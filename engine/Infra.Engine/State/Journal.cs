using System.Threading.Channels;

namespace Infra.State;

/// <summary>
/// Writes an update's journal entries with group commit: concurrent steps queue their mutations, and one writer
/// commits everything queued so far in a single transaction, then releases every waiter. Each step still waits
/// until its entry is durable before calling the provider, but a thousand concurrent steps cost a handful of
/// transactions, not a thousand.
/// </summary>
internal sealed class Journal : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly IStateBackend _backend;
    private readonly string _stack;
    private readonly string _lockId;
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private volatile Exception? _fatal;

    public Journal(IStateBackend backend, string stack, string lockId, long serial)
    {
        _backend = backend;
        _stack = stack;
        _lockId = lockId;
        Serial = serial;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The serial after the last committed batch.</summary>
    public long Serial { get; private set; }

    /// <summary>Number of transactions committed.</summary>
    public int Transactions { get; private set; }

    /// <summary>True once a write found the stack's lock no longer held by this run; every later write fails too.</summary>
    public bool LockLost => _fatal is LockLostException;

    /// <summary>Queues <paramref name="mutations"/> and completes once they are committed.</summary>
    public Task WriteAsync(IReadOnlyList<StoredMutation> mutations)
    {
        if (_fatal is not null)
        {
            return Task.FromException(_fatal);
        }

        var entry = new Entry(mutations, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(entry))
        {
            return Task.FromException(new InvalidOperationException("The journal is closed."));
        }

        return entry.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Entry>();
        var mutations = new List<StoredMutation>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            mutations.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
                mutations.AddRange(entry.Mutations);
            }

            if (_fatal is not null)
            {
                batch.ForEach(e => e.Done.TrySetException(_fatal));
                continue;
            }

            try
            {
                // Not cancellable: a batch in flight either commits or fails as a whole.
                Serial = await _backend.WriteAsync(_stack, _lockId, mutations, CancellationToken.None).ConfigureAwait(false);
                Transactions++;
                batch.ForEach(static e => e.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                if (ex is LockLostException)
                {
                    _fatal = ex;
                }

                batch.ForEach(e => e.Done.TrySetException(ex));
            }
        }
    }

    private sealed record Entry(IReadOnlyList<StoredMutation> Mutations, TaskCompletionSource Done);
}
