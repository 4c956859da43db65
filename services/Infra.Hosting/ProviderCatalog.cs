using Infra.Providers;
using Infra.Providers.Helm;
using Infra.Providers.Infra;
using Infra.Providers.Kubernetes;
using Infra.Providers.Postgres;
using Infra.Providers.Random;
using Infra.Providers.Synthetic;

namespace Infra.Hosting;

/// <summary>Every provider the platform's stacks use.</summary>
public static class ProviderCatalog
{
    /// <summary>The provider factories, one per package.</summary>
    public static IReadOnlyList<IProviderFactory> All { get; } =
    [
        new RandomProviderFactory(),
        new KubernetesProviderFactory(),
        new HelmProviderFactory(),
        new PostgresProviderFactory(),
        new InfraProviderFactory(),
        new ProviderFactory("synthetic", SyntheticProvider.FromConfig),
    ];
}
