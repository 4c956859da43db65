using System.Collections.Concurrent;
using System.Collections.Immutable;
using Infra.Configuration;
using Infra.Providers;

namespace Infra.Deployment;

/// <summary>
/// The providers of one operation on one stack, created on first use and configured from the stack's config.
/// Disposing the set disposes every provider that is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>,
/// so a provider holding connections (postgres) releases them when the operation ends, not when a pool times out.
/// </summary>
internal sealed class ProviderSet : IAsyncDisposable
{
    /// <summary>A factory registered for this package serves every package without a factory of its own (test mocks).</summary>
    public const string WildcardPackage = "*";

    private readonly ImmutableDictionary<string, IProviderFactory> _factories;
    private readonly Func<string, ProviderContext> _context;
    private readonly ConcurrentDictionary<string, Lazy<IResourceProvider>> _providers = new(StringComparer.Ordinal);
    private readonly Func<CancellationToken, Task>? _fence;

    /// <summary>
    /// Creates the set. With a <paramref name="fence"/>, each provider call that reaches the world passes it first
    /// (see <see cref="FencedProvider"/>).
    /// </summary>
    public ProviderSet(
        IEnumerable<IProviderFactory> factories, string stack, ProjectFile project, StackConfig config, bool isPreview, object? operation = null,
        Func<CancellationToken, Task>? fence = null)
    {
        _fence = fence;
        _factories = factories.ToImmutableDictionary(static f => f.Package, StringComparer.Ordinal);
        _context = package => Context(package, stack, project, config, isPreview, operation);
    }

    /// <summary>The context a provider of <paramref name="package"/> gets: the stack's config of its namespace, and the operation it serves.</summary>
    public static ProviderContext Context(string package, string stack, ProjectFile project, StackConfig config, bool isPreview, object? operation) =>
        new(stack, project.Name, project.Directory, config.ForNamespace(package), isPreview)
        {
            ConfigOf = config.ForNamespace,
            SettingsPath = config.Settings.Path,
            Operation = operation,
        };

    /// <summary>The providers created so far.</summary>
    public IEnumerable<IResourceProvider> Created => _providers.Values.Where(static l => l.IsValueCreated).Select(static l => l.Value);

    /// <summary>Returns the provider for the type's package.</summary>
    /// <exception cref="ResourceException">No provider serves the package.</exception>
    public IResourceProvider For(string urn, string type)
    {
        var package = type[..type.IndexOf(':', StringComparison.Ordinal)];
        if (!_factories.TryGetValue(package, out var factory) && !_factories.TryGetValue(WildcardPackage, out factory))
        {
            throw new ResourceException(urn, $"no provider serves package '{package}' (known: {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal))}).");
        }

        var lazy = _providers.GetOrAdd(package, p => new Lazy<IResourceProvider>(() => factory.Create(_context(p))));
        return _fence is null ? lazy.Value : new FencedProvider(lazy.Value, _fence);
    }

    /// <summary>Disposes the providers created so far; one failing to dispose does not keep the others open.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var provider in Created.ToList())
        {
            try
            {
                switch (provider)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Disposal runs after the operation's outcome is recorded; a provider that cannot close cleanly must not change it.
            }
        }
    }
}
