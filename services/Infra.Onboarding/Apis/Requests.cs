using System.Text.Json;

namespace Infra.Onboarding.Apis;

/// <summary>Asks for a new tenant.</summary>
/// <param name="Id">The tenant id: 3 to 40 lowercase letters, digits and '-'.</param>
/// <param name="Plan">One of <c>GET /v1/plans</c>.</param>
/// <param name="DisplayName">The name people read, 1 to 100 characters.</param>
/// <param name="Branding">Optional: primaryColor, secondaryColor, logoUrl, customDomain.</param>
public sealed record CreateTenantRequest(string? Id, string? Plan, string? DisplayName, JsonElement? Branding);

/// <summary>Changes a tenant; at least one field.</summary>
/// <param name="Plan">A new plan.</param>
/// <param name="DisplayName">A new display name.</param>
/// <param name="Branding">New branding (replaces the old).</param>
public sealed record UpdateTenantRequest(string? Plan, string? DisplayName, JsonElement? Branding);

/// <summary>Restores one of the tenant's backups into its database.</summary>
/// <param name="BackupId">The backup, from <c>GET /v1/tenants/{id}/backups</c>.</param>
public sealed record RestoreRequest(Guid? BackupId);
