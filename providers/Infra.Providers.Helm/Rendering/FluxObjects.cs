using Infra.Values;

namespace Infra.Providers.Helm.Rendering;

/// <summary>
/// The Flux objects for a release of a repository chart: a <c>source.toolkit.fluxcd.io/v1</c> HelmRepository and a
/// <c>helm.toolkit.fluxcd.io/v2</c> HelmRelease that installs and upgrades with retries, rolls back a failed upgrade,
/// and corrects drift in the cluster.
/// </summary>
internal static class FluxObjects
{
    public static IReadOnlyList<PropertyMap> For(ReleaseSpec release)
    {
        var metadata = Map(("name", Str(release.Name)), ("namespace", Str(release.Namespace)));
        var repositorySpec = Map(("interval", Str("1h")), ("url", Str(release.RepositoryUrl!)));
        if (release.RepositoryUrl!.StartsWith("oci://", StringComparison.Ordinal))
        {
            repositorySpec = repositorySpec.SetItem("type", Str("oci"));
        }

        var repository = Map(
            ("apiVersion", Str("source.toolkit.fluxcd.io/v1")),
            ("kind", Str("HelmRepository")),
            ("metadata", PropertyValue.Create(metadata)),
            ("spec", PropertyValue.Create(repositorySpec)));

        var retries = PropertyValue.Create(release.Retries);
        var sourceRef = Map(("kind", Str("HelmRepository")), ("name", Str(release.Name)), ("namespace", Str(release.Namespace)));
        var chart = Map(("spec", Obj(Map(("chart", Str(release.Chart)), ("version", Str(release.Version!)), ("sourceRef", Obj(sourceRef))))));
        var install = Map(("remediation", Obj(Map(("retries", retries)))));
        var upgrade = Map(
            ("cleanupOnFail", PropertyValue.True),
            ("remediation", Obj(Map(("retries", retries), ("remediateLastFailure", PropertyValue.True), ("strategy", Str("rollback"))))));
        var spec = Map(
            ("releaseName", Str(release.Name)),
            ("interval", Str(release.Interval)),
            ("timeout", Str(release.Timeout)),
            ("chart", Obj(chart)),
            ("values", Obj(release.Values)),
            ("install", Obj(install)),
            ("upgrade", Obj(upgrade)),
            ("rollback", Obj(Map(("cleanupOnFail", PropertyValue.True)))),
            ("driftDetection", Obj(Map(("mode", Str("enabled"))))));
        var helmRelease = Map(
            ("apiVersion", Str("helm.toolkit.fluxcd.io/v2")),
            ("kind", Str("HelmRelease")),
            ("metadata", Obj(metadata)),
            ("spec", Obj(spec)));
        return [repository, helmRelease];
    }

    private static PropertyValue Str(string value) => PropertyValue.Create(value);

    private static PropertyValue Obj(PropertyMap value) => PropertyValue.Create(value);

    private static PropertyMap Map(params (string Key, PropertyValue Value)[] entries) =>
        PropertyMap.Create(entries.Select(static e => KeyValuePair.Create(e.Key, e.Value)));
}
