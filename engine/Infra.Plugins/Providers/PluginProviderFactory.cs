using Infra.Plugins.Runtime;
using Infra.Providers;

namespace Infra.Plugins.Providers;

/// <summary>
/// Registers a plugin as the provider of a package. Every operation on every stack gets its own process, configured
/// with that stack's config namespace; the providers of one operation (<see cref="ProviderContext.Operation"/>: an
/// up's preview and its apply) share that process, which stops when the last of them is disposed. The process starts
/// when the operation opens (<see cref="WarmUp"/>), so that its start overlaps the lock, the state load and the program;
/// with <see cref="Standby"/>, when the previous operation's process stops, so that it is ready before the next opens.
/// </summary>
/// <param name="package">The package the plugin serves, e.g. <c>dns</c>.</param>
/// <param name="options">How to run the plugin.</param>
public sealed class PluginProviderFactory(string package, PluginOptions options) : IProviderFactory, IProviderWarmUp, IAsyncDisposable
{
    private readonly Dictionary<object, PluginConnection> _connections = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();
    private PluginConnection? _standby;
    private Task _retiring = Task.CompletedTask;
    private bool _disposed;

    /// <summary>
    /// Whether to start the next operation's process as soon as an operation's process stops, so that the next
    /// operation finds it started, handshaken and described (<c>getSchema</c>) but not yet configured. Each process
    /// still serves one operation only and stops with it; the standby has seen no stack's config. For hosts that run
    /// many operations one after another (the Automation API in a service); off by default, because a CLI that runs
    /// one operation would start a process only to stop it. Dispose the factory to stop the standby.
    /// </summary>
    public bool Standby { get; init; }

    /// <inheritdoc/>
    public string Package { get; } = package;

    /// <summary>How the plugin is run.</summary>
    public PluginOptions Options { get; } = options;

    /// <inheritdoc/>
    public IResourceProvider Create(ProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Operation is { } operation
            ? new PluginProvider(Package, Connect(operation), context)
            : new PluginProvider(Package, Options, context);
    }

    /// <summary>
    /// Starts the operation's plugin process in the background. A plugin that cannot start fails the first call
    /// that needs it, with the same one-line error as a start on first use; one that no call needs is stopped with
    /// the operation.
    /// </summary>
    public IAsyncDisposable WarmUp(ProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Operation is not { } operation)
        {
            return NoWarmUp.Instance;
        }

        var connection = Connect(operation);
        connection.BeginStart();
        return new WarmConnection(connection);
    }

    /// <summary>The operation's connection, with one more reference for the caller to release.</summary>
    private PluginConnection Connect(object operation)
    {
        lock (_lock)
        {
            if (_connections.TryGetValue(operation, out var shared))
            {
                shared.AddReference();
            }
            else
            {
                shared = TakeStandby() ?? new PluginConnection(Package, Options);
                shared.OnClosed(() => Forget(operation));
                _connections[operation] = shared;
            }

            return shared;
        }
    }

    private void Forget(object operation)
    {
        lock (_lock)
        {
            _connections.Remove(operation);
            if (Standby && !_disposed && _standby is null)
            {
                _standby = new PluginConnection(Package, Options);
                _standby.BeginStart();
            }
        }
    }

    /// <summary>The standby for a new operation; one whose start failed or whose process died is dropped, so the operation starts its own.</summary>
    private PluginConnection? TakeStandby()
    {
        var standby = _standby;
        _standby = null;
        if (standby is null || standby.IsUsableStandby)
        {
            return standby;
        }

        // Stopped off the lock (freeing a sandbox's lease may wait for its cgroup to empty), and awaited by DisposeAsync.
        _retiring = Task.WhenAll(_retiring, Task.Run(async () => await standby.DisposeAsync().ConfigureAwait(false)));
        return null;
    }

    /// <summary>
    /// Completes when the standby process, if there is one, has started and answered <c>getSchema</c>, or failed to; a
    /// point where no start is under way, which a benchmark waits for so that the start does not fall into what it times.
    /// </summary>
    public Task StandbyReadyAsync()
    {
        lock (_lock)
        {
            return _standby?.StartedAsync() ?? Task.CompletedTask;
        }
    }

    /// <summary>Stops the standby process, and waits for dropped ones to be stopped; operations under way keep theirs.</summary>
    public async ValueTask DisposeAsync()
    {
        PluginConnection? standby;
        Task retiring;
        lock (_lock)
        {
            _disposed = true;
            standby = _standby;
            _standby = null;
            retiring = _retiring;
        }

        if (standby is not null)
        {
            await standby.DisposeAsync().ConfigureAwait(false);
        }

        await retiring.ConfigureAwait(false);
    }

    /// <summary>The warm-up's reference to the operation's connection, released when the operation ends.</summary>
    private sealed class WarmConnection(PluginConnection connection) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await connection.ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class NoWarmUp : IAsyncDisposable
    {
        public static NoWarmUp Instance { get; } = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
