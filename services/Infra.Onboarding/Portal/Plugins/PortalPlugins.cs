using System.Collections.Immutable;
using Infra.Onboarding.Hosting;
using Infra.Plugins;
using Infra.Plugins.Manifest;
using Infra.Plugins.Projects;
using Infra.Plugins.Registry;
using Microsoft.Extensions.Options;
using NuGet.Versioning;

namespace Infra.Onboarding.Portal.Plugins;

/// <summary>A UI plugin ready for a page: its verified release and what the host grants it.</summary>
/// <param name="Name">The plugin.</param>
/// <param name="Release">Its release, whose signature was verified against the trusted keys.</param>
/// <param name="Grants">The host methods it may call.</param>
internal sealed record Panel(string Name, PluginRelease Release, ImmutableArray<string> Grants)
{
    /// <summary>The frame document's path.</summary>
    public string FramePath => $"{PortalPlugins.PanelsPath}/{Uri.EscapeDataString(Name)}/{Release.Version}/frame";

    /// <summary>The module's path.</summary>
    public string ModulePath => $"{PortalPlugins.PanelsPath}/{Uri.EscapeDataString(Name)}/{Release.Version}/module.js";
}

/// <summary>A configured panel that cannot be shown, and why (one line).</summary>
internal sealed record PanelProblem(string Name, string Reason);

/// <summary>
/// The portal's view of the plugin registry: the same index <c>infra plugin search|info|install</c> reads, for the
/// marketplace, and the UI plugins the tenant page loads. A panel is shown only when its release is a UI plugin signed
/// by a trusted key; its module's Subresource Integrity hash is part of what is signed, so the browser's SRI check ties
/// the bytes it runs to the publisher's signature.
/// </summary>
internal sealed class PortalPlugins(ServiceSettings settings, IOptions<PortalPluginOptions> options)
{
    /// <summary>Where panel frames and modules are served.</summary>
    public const string PanelsPath = "/portal/panels";

    /// <summary>The host methods a panel can be granted: the names of <c>HostMethods</c> in the TypeScript SDK's <c>ui.ts</c>.</summary>
    public static readonly ImmutableArray<string> HostMethods = ["tenant", "usage", "resize"];

    private readonly Lazy<(RegistryClient? Registry, TrustedKeys Trust)> _registry = new(() => Open(settings, options.Value));

    /// <summary>The registry, or <see langword="null"/> when neither the service nor the project names one.</summary>
    public RegistryClient? Registry => _registry.Value.Registry;

    /// <summary>The keys releases must be signed with.</summary>
    public TrustedKeys Trust => _registry.Value.Trust;

    /// <summary>Whether <paramref name="release"/> of <paramref name="name"/> is signed by a trusted key: the publisher's name, or why not.</summary>
    public (string? Publisher, string? Problem) Verify(string name, PluginRelease release)
    {
        try
        {
            ReleaseVerifier.Verify(name, release, Trust);
            return (Trust.NameOf(release.Signature.Key), null);
        }
        catch (PluginException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>The configured panels that can be shown, and those that cannot with the reason.</summary>
    public async Task<(IReadOnlyList<Panel> Panels, IReadOnlyList<PanelProblem> Problems)> PanelsAsync(CancellationToken cancellationToken)
    {
        var panels = new List<Panel>();
        var problems = new List<PanelProblem>();
        foreach (var (name, panel) in options.Value.Panels.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            try
            {
                panels.Add(await FindAsync(name, panel.Version, cancellationToken).ConfigureAwait(false) with { Grants = [.. panel.Grants.Where(HostMethods.Contains)] });
            }
            catch (InfraException ex)
            {
                problems.Add(new PanelProblem(name, ex.Message));
            }
        }

        return (panels, problems);
    }

    /// <summary>The configured panel <paramref name="name"/> at <paramref name="version"/>, verified; <see langword="null"/> when it is not configured so.</summary>
    public async Task<Panel?> ConfiguredAsync(string name, string version, CancellationToken cancellationToken)
    {
        if (!options.Value.Panels.TryGetValue(name, out var panel) || panel.Version != version)
        {
            return null;
        }

        return await FindAsync(name, version, cancellationToken).ConfigureAwait(false) with { Grants = [.. panel.Grants.Where(HostMethods.Contains)] };
    }

    /// <summary>The module's bytes, as the registry serves them: the browser, not the service, checks them against the signed hash.</summary>
    public async Task<byte[]?> ModuleAsync(Panel panel, CancellationToken cancellationToken) =>
        await Registry!.Source.ReadAsync(panel.Release.Module!, cancellationToken).ConfigureAwait(false);

    private async Task<Panel> FindAsync(string name, string version, CancellationToken cancellationToken)
    {
        var registry = Registry ?? throw new InfraException($"{PortalPluginOptions.Section}:Registry is not set and Pulumi.yaml names no plugins.registry; panel '{name}' has nowhere to come from.");
        if (!NuGetVersion.TryParse(version, out var exact))
        {
            throw new InfraException($"{PortalPluginOptions.Section}:Panels:{name}:Version '{version}' is not an exact version, e.g. 0.1.0.");
        }

        var entry = await registry.GetPluginAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new InfraException($"panel '{name}': the registry {registry.Source.Location} has no such plugin.");
        var release = entry.Find(exact) ?? throw new InfraException($"panel '{name}': the registry has no version {version}.");
        if (release.Kind != PluginManifest.UiKind || release.Module is null || release.Integrity is null)
        {
            throw new InfraException($"panel '{name}' {version}: a {release.Kind} plugin, not a UI plugin with a module and an integrity hash.");
        }

        ReleaseVerifier.Verify(name, release, Trust);
        return new Panel(name, release, []);
    }

    private static (RegistryClient?, TrustedKeys) Open(ServiceSettings settings, PortalPluginOptions options)
    {
        var project = ProjectPluginSettings.Load(settings.ProjectDirectory);
        var keys = project.TrustedKeys.Keys.SetItems(options.TrustedKeys);
        var location = options.Registry is { Length: > 0 } configured ? configured : project.Registry;
        return (location is null ? null : new RegistryClient(RegistrySource.Open(location, settings.ProjectDirectory)), new TrustedKeys(keys));
    }
}
