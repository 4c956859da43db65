namespace Infra.Onboarding.Portal.Plugins;

/// <summary>
/// The portal's plugins, section <c>Onboarding:Plugins</c>: the registry the marketplace shows and the panels load from,
/// the publishers it trusts, and which UI plugins the tenant page shows with which host methods. The registry and keys
/// default to the project's <c>plugins:</c> section in <c>Pulumi.yaml</c>, so the CLI and the portal trust the same.
/// </summary>
public sealed class PortalPluginOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Onboarding:Plugins";

    /// <summary>The registry: a folder (relative to the project) or an http(s) URL; default: <c>plugins.registry</c> of Pulumi.yaml.</summary>
    public string? Registry { get; set; }

    /// <summary>Publisher name to public key (<c>ed25519:BASE64</c>); added to the project's <c>plugins.trustedKeys</c>.</summary>
    public Dictionary<string, string> TrustedKeys { get; set; } = [];

    /// <summary>The UI plugins shown on each tenant's panels page, by plugin name.</summary>
    public Dictionary<string, PanelOptions> Panels { get; set; } = [];
}

/// <summary>One UI plugin the portal shows.</summary>
public sealed class PanelOptions
{
    /// <summary>The exact version to load; a page never loads a version nobody chose.</summary>
    public string Version { get; set; } = string.Empty;

    /// <summary>The host methods the panel may call (<c>tenant</c>, <c>usage</c>, <c>resize</c>); none by default.</summary>
    public List<string> Grants { get; set; } = [];
}
