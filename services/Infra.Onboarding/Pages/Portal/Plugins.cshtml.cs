using Infra.Onboarding.Portal.Plugins;
using Infra.Plugins.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Infra.Onboarding.Pages.Portal;

/// <summary>The marketplace: the plugins of the registry the CLI installs from, searched by name or description.</summary>
internal sealed class PluginsModel(PortalPlugins plugins) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<RegistrySummary> Results { get; private set; } = [];

    public string? Registry { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (plugins.Registry is not { } registry)
        {
            Error = $"no registry is configured: set {PortalPluginOptions.Section}:Registry or plugins.registry in Pulumi.yaml.";
            return;
        }

        Registry = registry.Source.Location;
        try
        {
            Results = await registry.SearchAsync(Query, cancellationToken);
        }
        catch (InfraException ex)
        {
            Error = ex.Message;
        }
    }
}
