using System.Text.Json;
using Infra.Observability.Reports;
using Infra.Observability.Usage;
using Infra.Onboarding.Hosting;
using Infra.Onboarding.Portal;
using Infra.Onboarding.Portal.Plugins;
using Infra.Providers.Postgres;
using Infra.Stacks.Kinds.Tenant;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Infra.Onboarding.Pages.Portal;

/// <summary>
/// A tenant's UI plugins: each configured panel in a sandboxed iframe, answered by the host script with this tenant's
/// data only. The tenant is read through the API first, so a user who may not see the tenant gets no panel data.
/// </summary>
internal sealed class TenantPanelsModel(PortalClient api, PortalPlugins plugins, ServiceSettings settings) : PageModel
{
    /// <summary>The page's own policy: scripts from this service only (the host script), frames from this service only.</summary>
    public const string Policy =
        "default-src 'self'; script-src 'self'; frame-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    public string? Error { get; private set; }

    public IReadOnlyList<Panel> Panels { get; private set; } = [];

    public IReadOnlyList<PanelProblem> Problems { get; private set; } = [];

    /// <summary>What the host script may give panels, as JSON.</summary>
    public string PanelData { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Response.Headers.ContentSecurityPolicy = Policy;
        var (ok, tenant) = await api.SendAsync(HttpMethod.Get, $"/v1/tenants/{Uri.EscapeDataString(Id)}", null, cancellationToken);
        if (!ok)
        {
            Error = tenant.TryGetProperty("detail", out var detail) ? detail.GetString() : "not found.";
            return;
        }

        var plan = tenant.GetProperty("plan").GetString() ?? string.Empty;
        var (usage, usageError) = await UsageAsync(plan, cancellationToken);
        PanelData = JsonSerializer.Serialize(new
        {
            tenant = new { id = Id, displayName = tenant.GetProperty("displayName").GetString(), plan },
            usage,
            usageError,
        }, JsonSerializerOptions.Web);
        (Panels, Problems) = await plugins.PanelsAsync(cancellationToken);
    }

    private async Task<(object? Usage, string? Error)> UsageAsync(string plan, CancellationToken cancellationToken)
    {
        try
        {
            var plans = TenantStack.PlanQuotas(Path.Combine(settings.ProjectDirectory, "environments", "Pulumi.any.yaml"))
                .Select(static p => new PlanLimits(p.Plan, p.DatabaseSizeBytes, p.ConnectionLimit)).ToList();
            var reader = new TenantUsage(PostgresNames.ParseConnectionString(settings.AdminConnection).ConnectionString);
            var rows = await reader.ReadAsync(plans, [new TenantAssignment(Id, plan)], cancellationToken);
            if (rows is not [var row])
            {
                return (null, $"tenant '{Id}' has no database on the server yet.");
            }

            return (new
            {
                plan = row.Plan?.Plan,
                databaseSizeBytes = row.SizeBytes,
                databaseSizeLimitBytes = row.Plan?.DatabaseSizeBytes,
                connections = row.Connections,
                connectionLimit = row.Plan?.Connections,
                status = row.Status,
            }, null);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            return (null, $"the tenant's usage cannot be read now: {ex.Message}");
        }
    }
}
