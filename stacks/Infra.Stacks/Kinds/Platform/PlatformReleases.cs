using Infra.Providers.Helm;
using Infra.Providers.Kubernetes;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>Declares a release of a pinned chart with its typed values, in its namespace.</summary>
internal sealed class PlatformReleases(IReadOnlyDictionary<string, ChartPin> charts, IReadOnlyDictionary<string, KubernetesObject> namespaces)
{
    /// <summary>The pin of <paramref name="release"/>.</summary>
    public ChartPin Pin(string release) => charts[release];

    /// <summary>Declares <paramref name="release"/>; it waits for its namespace and for <paramref name="after"/>.</summary>
    public HelmRelease Declare<TValues>(string release, TValues values, params Resource[] after) where TValues : class
    {
        var pin = charts[release];
        return new HelmRelease(release, new HelmReleaseArgs
        {
            Name = pin.Release,
            Namespace = pin.Namespace,
            Chart = pin.Chart,
            Version = pin.Version,
            RepositoryUrl = pin.Repository,
            Values = ChartValues.Of(values),
        }, new CustomResourceOptions { DependsOn = [namespaces[pin.Namespace], .. after] });
    }
}
