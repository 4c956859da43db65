using Infra.Values;

namespace Infra.Providers;

/// <summary>What a provider gets when the engine creates it for one operation on one stack.</summary>
/// <param name="StackName">The stack.</param>
/// <param name="ProjectName">The project.</param>
/// <param name="ProjectDirectory">The project folder, for resolving relative paths in config.</param>
/// <param name="Config">The stack's config values in the provider's namespace (<c>postgres:*</c> for postgres),
/// without the namespace prefix; secret values are marked secret.</param>
/// <param name="IsPreview">True when the operation is a preview.</param>
public sealed record ProviderContext(string StackName, string ProjectName, string ProjectDirectory, PropertyMap Config, bool IsPreview)
{
    /// <summary>
    /// Reads the stack's config of another namespace, in the same form as <see cref="Config"/>. For a provider that
    /// shares settings with another package: the helm provider writes to the GitOps tree set by
    /// <c>kubernetes:gitopsPath</c> rather than asking for the same path twice.
    /// </summary>
    public Func<string, PropertyMap> ConfigOf { get; init; } = static _ => PropertyMap.Empty;

    /// <summary>The stack settings file the config comes from, for errors that name a missing key.</summary>
    public string SettingsPath { get; init; } = string.Empty;

    /// <summary>
    /// The operation the provider serves: the same object for every provider the engine creates during one operation
    /// on one stack (an up's preview and its apply), compared by reference. A factory may key a costly resource on it
    /// (a plugin process) to share it between them, and must release it when the providers are disposed.
    /// <see langword="null"/> outside an operation.
    /// </summary>
    public object? Operation { get; init; }
}

/// <summary>Creates a configured provider for one operation on one stack.</summary>
public interface IProviderFactory
{
    /// <summary>The package served, e.g. <c>postgres</c>.</summary>
    string Package { get; }

    /// <summary>Creates a provider configured for <paramref name="context"/>.</summary>
    /// <exception cref="InfraException">The provider's config is invalid; the message names the key.</exception>
    IResourceProvider Create(ProviderContext context);
}

/// <summary>A provider factory from a delegate.</summary>
/// <param name="package">The package served.</param>
/// <param name="create">Creates the provider.</param>
public sealed class ProviderFactory(string package, Func<ProviderContext, IResourceProvider> create) : IProviderFactory
{
    /// <inheritdoc/>
    public string Package { get; } = package;

    /// <inheritdoc/>
    public IResourceProvider Create(ProviderContext context) => create(context);
}
