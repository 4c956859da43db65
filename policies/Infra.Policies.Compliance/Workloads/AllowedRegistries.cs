using Infra.Policies.Kubernetes;

namespace Infra.Policies.Compliance.Workloads;

/// <summary>
/// Images come only from the registries listed in config <c>registries</c>. An entry is a registry host
/// (<c>ghcr.io</c>) or a host and path prefix (<c>ghcr.io/acme</c>, <c>docker.io/library</c>); images without a
/// registry are Docker Hub's (<c>nginx:1.27</c> is <c>docker.io/library/nginx</c>).
/// </summary>
/// <remarks>
/// Rationale: a registry is part of the supply chain. Restricting it to the ones the organisation mirrors, scans
/// and signs keeps typosquatted and unscanned images out. Advisory by default, since which registries are allowed
/// is a per-organisation decision: with no list configured every image is reported, which prompts setting one.
/// </remarks>
public sealed class AllowedRegistries : ResourcePolicy
{
    /// <summary>The config key listing the allowed registries.</summary>
    public const string RegistriesKey = "registries";

    /// <inheritdoc/>
    public override string Name => "allowed-registries";

    /// <inheritdoc/>
    public override string Description => "Images come only from the registries listed in config 'registries'.";

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .StringList(RegistriesKey, "Registries (host, or host/path prefix) images may come from.", defaultValue: []);

    /// <inheritdoc/>
    public override ResourceSelector Selector => ResourceSelector.KubernetesWorkloads;

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var allowed = context.Config.GetStringList(RegistriesKey).Select(Normalize).ToList();
        foreach (var container in Workload.TemplateOf(context)?.Containers ?? [])
        {
            if (Workload.ImageOf(container) is not { } image)
            {
                continue;
            }

            var reference = ImageReference.Parse(image);
            if (!allowed.Any(entry => reference.Registry == entry || reference.Location.StartsWith(entry + "/", StringComparison.Ordinal)))
            {
                var list = allowed.Count == 0 ? "none are configured" : "allowed: " + string.Join(", ", allowed);
                context.Report(
                    $"{container.Describe()} image '{image}' comes from '{reference.Registry}', which is not an allowed registry ({list}); " +
                    $"use a mirrored image or add the registry to policies.compliance.{Name}.{RegistriesKey}.");
            }
        }
    }

    private static string Normalize(string entry)
    {
        var text = entry.Trim().ToLowerInvariant();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return (scheme < 0 ? text : text[(scheme + 3)..]).TrimEnd('/');
    }
}
