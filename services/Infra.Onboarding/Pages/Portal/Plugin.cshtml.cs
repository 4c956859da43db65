using Infra.Onboarding.Portal.Plugins;
using Infra.Plugins.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Infra.Onboarding.Pages.Portal;

/// <summary>A release as the details page shows it: the index's record and whether a trusted key signed it.</summary>
internal sealed record ReleaseRow(PluginRelease Release, string? Publisher, string? Problem);

/// <summary>One plugin of the marketplace: its description and every version with hashes and signer.</summary>
internal sealed class PluginModel(PortalPlugins plugins) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Versions, newest first.</summary>
    public IReadOnlyList<ReleaseRow> Versions { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (plugins.Registry is not { } registry)
        {
            Error = $"no registry is configured: set {PortalPluginOptions.Section}:Registry or plugins.registry in Pulumi.yaml.";
            return Page();
        }

        PluginEntry? entry;
        try
        {
            entry = await registry.GetPluginAsync(Name, cancellationToken);
        }
        catch (InfraException ex)
        {
            Error = ex.Message;
            return Page();
        }

        if (entry is null)
        {
            Error = $"the registry has no plugin '{Name}'.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Versions = [.. entry.Newest().Select(r =>
        {
            var (publisher, problem) = plugins.Verify(Name, r);
            return new ReleaseRow(r, publisher, problem);
        })];
        return Page();
    }
}
