using Infra.Plugins.Runtime;
using Infra.Providers;

namespace Infra.Plugins.Providers;

/// <summary>
/// Registers a plugin as the provider of a package: every operation on every stack gets its own
/// <see cref="PluginProvider"/>, so its own process, configured with that stack's config namespace.
/// </summary>
/// <param name="package">The package the plugin serves, e.g. <c>dns</c>.</param>
/// <param name="options">How to run the plugin.</param>
public sealed class PluginProviderFactory(string package, PluginOptions options) : IProviderFactory
{
    /// <inheritdoc/>
    public string Package { get; } = package;

    /// <summary>How the plugin is run.</summary>
    public PluginOptions Options { get; } = options;

    /// <inheritdoc/>
    public IResourceProvider Create(ProviderContext context) => new PluginProvider(Package, Options, context);
}
