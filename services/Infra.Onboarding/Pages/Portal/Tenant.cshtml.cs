using System.Text.Json;
using Infra.Onboarding.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Infra.Onboarding.Pages.Portal;

/// <summary>One tenant with its operations and backups, and the forms to change its plan and back it up.</summary>
internal sealed class TenantModel(PortalClient api) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    public JsonElement? Tenant { get; private set; }

    public IReadOnlyList<JsonElement> Operations { get; private set; } = [];

    public IReadOnlyList<JsonElement> Backups { get; private set; } = [];

    public IReadOnlyList<string> Plans { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostPlanAsync([FromForm] string? plan, CancellationToken cancellationToken) =>
        await AfterAsync(await api.SendAsync(HttpMethod.Patch, $"/v1/tenants/{Uri.EscapeDataString(Id)}", new { plan }, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostBackupAsync(CancellationToken cancellationToken) =>
        await AfterAsync(await api.SendAsync(HttpMethod.Post, $"/v1/tenants/{Uri.EscapeDataString(Id)}/backups", null, cancellationToken), cancellationToken);

    private async Task<IActionResult> AfterAsync((bool Ok, JsonElement Body) result, CancellationToken cancellationToken)
    {
        if (result.Ok)
        {
            return Redirect($"/portal/tenants/{Uri.EscapeDataString(Id)}");
        }

        Error = result.Body.TryGetProperty("detail", out var detail) ? detail.GetString() : "the request failed.";
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var escaped = Uri.EscapeDataString(Id);
        var (ok, tenant) = await api.SendAsync(HttpMethod.Get, $"/v1/tenants/{escaped}", null, cancellationToken);
        if (!ok)
        {
            Error ??= tenant.TryGetProperty("detail", out var detail) ? detail.GetString() : "not found.";
            return;
        }

        Tenant = tenant;
        var (_, operations) = await api.SendAsync(HttpMethod.Get, $"/v1/tenants/{escaped}/operations", null, cancellationToken);
        Operations = operations.ValueKind == JsonValueKind.Array ? [.. operations.EnumerateArray()] : [];
        var (_, backups) = await api.SendAsync(HttpMethod.Get, $"/v1/tenants/{escaped}/backups", null, cancellationToken);
        Backups = backups.ValueKind == JsonValueKind.Array ? [.. backups.EnumerateArray()] : [];
        var (_, plans) = await api.SendAsync(HttpMethod.Get, "/v1/plans", null, cancellationToken);
        Plans = plans.ValueKind == JsonValueKind.Array ? [.. plans.EnumerateArray().Select(static p => p.GetProperty("name").GetString()!)] : [];
    }
}
