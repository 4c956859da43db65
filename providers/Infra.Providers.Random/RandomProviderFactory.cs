
namespace Infra.Providers.Random;

/// <summary>Registers the <c>random</c> provider with a workspace.</summary>
public sealed class RandomProviderFactory : IProviderFactory
{
    /// <inheritdoc/>
    public string Package => RandomProvider.PackageName;

    /// <inheritdoc/>
    public IResourceProvider Create(ProviderContext context) => new RandomProvider();
}
