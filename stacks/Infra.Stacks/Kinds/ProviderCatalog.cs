using Infra.Providers;
using Infra.Providers.Helm;
using Infra.Providers.Kubernetes;
using Infra.Providers.Infra;
using Infra.Providers.Postgres;
using Infra.Providers.Random;
using Infra.Providers.Synthetic;

namespace Infra.Stacks.Kinds;

/// <summary>Every provider the CLI's stacks use.</summary>
internal static class ProviderCatalog
{
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
