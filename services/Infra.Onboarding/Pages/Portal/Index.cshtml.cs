using Infra.Onboarding.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Infra.Onboarding.Pages.Portal;

/// <summary>A row of the tenant list.</summary>
internal sealed record TenantRow(string Id, string DisplayName, string Plan, string Status, string LastOperation);

/// <summary>The tenant list and the onboarding form.</summary>
internal sealed class IndexModel(PortalClient api) : PageModel
{
    public IReadOnlyList<TenantRow> Tenants { get; private set; } = [];

    public IReadOnlyList<string> Plans { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync([FromForm] string? id, [FromForm] string? displayName, [FromForm] string? plan, CancellationToken cancellationToken)
    {
        var (ok, body) = await api.SendAsync(HttpMethod.Post, "/v1/tenants", new { id, plan, displayName }, cancellationToken);
        if (ok)
        {
            return Redirect($"/portal/tenants/{id}");
        }

        Error = body.TryGetProperty("detail", out var detail) ? detail.GetString() : "the request failed.";
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (ok, page) = await api.SendAsync(HttpMethod.Get, "/v1/tenants?limit=500", null, cancellationToken);
        if (ok)
        {
            Tenants = [.. page.GetProperty("items").EnumerateArray().Select(static t => new TenantRow(
                t.GetProperty("id").GetString()!, t.GetProperty("displayName").GetString()!, t.GetProperty("plan").GetString()!, t.GetProperty("status").GetString()!,
                t.GetProperty("lastOperation") is { ValueKind: System.Text.Json.JsonValueKind.Object } last
                    ? $"{last.GetProperty("kind").GetString()} {last.GetProperty("status").GetString()}"
                    : string.Empty))];
        }

        var (plansOk, plans) = await api.SendAsync(HttpMethod.Get, "/v1/plans", null, cancellationToken);
        Plans = plansOk ? [.. plans.EnumerateArray().Select(static p => p.GetProperty("name").GetString()!)] : [];
    }
}
