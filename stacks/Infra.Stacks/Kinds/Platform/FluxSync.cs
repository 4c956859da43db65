using static Infra.Stacks.Kinds.Platform.PlatformObjects;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// The Flux objects that make a cluster follow the GitOps repository: one <c>GitRepository</c> and, per stack folder,
/// a <c>Kustomization</c> with <c>prune: true</c> (what a commit removes leaves the cluster) and <c>wait: true</c>
/// (Flux health-checks every object it applied, Deployments rolled out, HelmReleases ready, before it reports the
/// folder ready; with <c>wait</c> Flux checks all objects, so no separate <c>healthChecks</c> list is kept). Tenant
/// folders depend on the platform's, so the shared layer is healthy before any tenant is applied.
/// </summary>
internal static class FluxSync
{
    /// <summary>Flux's own namespace, created when Flux is bootstrapped on the cluster.</summary>
    public const string FluxNamespace = "flux-system";

    /// <summary>The GitRepository's name.</summary>
    public const string Source = "infra-gitops";

    /// <summary>Declares the GitRepository and the Kustomizations, when the repository's URL is known.</summary>
    public static void Declare(string platformStack, PlatformSettings settings)
    {
        if (settings.GitOpsUrl is not { } url)
        {
            return;
        }

        var source = DeclareObject("flux-source", Manifest("source.toolkit.fluxcd.io/v1", "GitRepository", Source, FluxNamespace, null,
            ("spec", Map(("interval", "1m"), ("url", url), ("ref", Map(("branch", settings.GitOpsBranch)))))));
        var folders = settings.Stacks.Where(static s => s.Kind is "platform" or "tenant").Select(static s => s.Name)
            .Append(platformStack).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var spec = Map(
                ("interval", "10m"),
                ("retryInterval", "2m"),
                ("timeout", "10m"),
                ("path", $"./{folder}"),
                ("prune", true),
                ("wait", true),
                ("sourceRef", Map(("kind", "GitRepository"), ("name", Source))));
            if (folder != platformStack)
            {
                spec["dependsOn"] = new object[] { Map(("name", platformStack)) };
            }

            DeclareObject($"flux-kustomization-{folder}", Manifest("kustomize.toolkit.fluxcd.io/v1", "Kustomization", folder, FluxNamespace, null, ("spec", spec)),
                new CustomResourceOptions { DependsOn = [source] });
        }
    }
}
