namespace Infra.Providers.Kubernetes;

/// <summary>Registers the <c>kubernetes</c> provider with a workspace.</summary>
/// <param name="environment">
/// Environment variables the provider reads (<c>KUBECONFIG</c>); <see langword="null"/> reads the process environment.
/// Services hosting many stacks pass an explicit map, as they do for config.
/// </param>
public sealed class KubernetesProviderFactory(IReadOnlyDictionary<string, string?>? environment = null) : IProviderFactory
{
    /// <inheritdoc/>
    public string Package => KubernetesProvider.PackageName;

    /// <inheritdoc/>
    public IResourceProvider Create(ProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new KubernetesProvider(context, KubernetesSettings.FromConfig(context.Config, context.ProjectDirectory, environment ?? ProcessEnvironment()));
    }

    internal static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        new Dictionary<string, string?> { ["KUBECONFIG"] = Environment.GetEnvironmentVariable("KUBECONFIG") };
}
