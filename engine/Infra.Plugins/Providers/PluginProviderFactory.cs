using Infra.Plugins.Runtime;
using Infra.Providers;

namespace Infra.Plugins.Providers;

/// <summary>
/// Registers a plugin as the provider of a package. Every operation on every stack gets its own process, configured
/// with that stack's config namespace; the providers of one operation (<see cref="ProviderContext.Operation"/>: an
/// up's preview and its apply) share that process, which stops when the last of them is disposed.
/// </summary>
/// <param name="package">The package the plugin serves, e.g. <c>dns</c>.</param>
/// <param name="options">How to run the plugin.</param>
public sealed class PluginProviderFactory(string package, PluginOptions options) : IProviderFactory
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
        if (context.Operation is not { } operation)
        {
            return new PluginProvider(Package, Options, context);
        }

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

            return new PluginProvider(Package, shared, context);
        }
    }

    private void Forget(object operation)
    {
        lock (_lock)
        {
            _connections.Remove(operation);
        }
    }
}
