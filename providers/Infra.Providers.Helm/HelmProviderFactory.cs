using Infra.Providers.Helm.Rendering;
using Infra.Providers.Kubernetes;

namespace Infra.Providers.Helm;

/// <summary>
/// Registers the <c>helm</c> provider. It reads <c>helm:binary</c> from its own config and the target (GitOps tree or
/// cluster) from the stack's <c>kubernetes:*</c> config, so both providers always write to the same place.
/// </summary>
/// <param name="environment">Environment variables (<c>KUBECONFIG</c>); <see langword="null"/> reads the process environment.</param>
public sealed class HelmProviderFactory(IReadOnlyDictionary<string, string?>? environment = null) : IProviderFactory
{
    // Shared by the providers this factory makes (each operation, each stack): see RenderCache.
    private readonly RenderCache _renders = new();

    /// <inheritdoc/>
    public string Package => HelmProvider.PackageName;

    /// <inheritdoc/>
    public IResourceProvider Create(ProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kubernetes = KubernetesSettings.FromConfig(context.ConfigOf(KubernetesSettings.ConfigNamespace), context.ProjectDirectory,
            environment ?? KubernetesProviderFactory.ProcessEnvironment());
        var configured = context.Config.GetString("binary");
        var helm = new Lazy<HelmBinary>(() => HelmBinary.Locate(configured, context.ProjectDirectory));
        return new HelmProvider(context, kubernetes, helm, _renders);
    }
}
