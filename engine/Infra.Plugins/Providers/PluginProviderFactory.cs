using Infra.Plugins.Runtime;
using Infra.Providers;

namespace Infra.Plugins.Providers;

/// <summary>
/// Registers a plugin as the provider of a package. Every operation on every stack gets its own process, configured
/// with that stack's config namespace; the providers of one operation (<see cref="ProviderContext.Operation"/>: an
/// up's preview and its apply) share that process, which stops when the last of them is disposed. The process starts
/// when the operation opens (<see cref="WarmUp"/>), so that its start overlaps the lock, the state load and the program.
/// </summary>
/// <param name="package">The package the plugin serves, e.g. <c>dns</c>.</param>
/// <param name="options">How to run the plugin.</param>
public sealed class PluginProviderFactory(string package, PluginOptions options) : IProviderFactory, IProviderWarmUp
{
    private readonly Dictionary<object, PluginConnection> _connections = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();

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
                shared = new PluginConnection(Package, Options, () => Forget(operation));
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
        }
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
