using System.Text.Json;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>A plan as hosts show it (the onboarding service's <c>GET /v1/plans</c>).</summary>
/// <param name="Name">The plan's name.</param>
/// <param name="Description">What the plan is for.</param>
/// <param name="ConnectionLimit">Concurrent database connections.</param>
/// <param name="DatabaseSize">The database size the plan includes, e.g. <c>10Gi</c>.</param>
/// <param name="BackupSchedule">When backups run (UTC cron).</param>
/// <param name="BackupRetentionDays">Days backups are kept.</param>
/// <param name="Protect">True when the tenant's data is protected from destroy.</param>
/// <param name="Features">Feature flags.</param>
public sealed record PlanSummary(
    string Name, string Description, int ConnectionLimit, string DatabaseSize, string BackupSchedule, int BackupRetentionDays, bool Protect,
    IReadOnlyDictionary<string, bool> Features);

/// <summary>
/// What a host checks before it asks for a tenant stack, with the stack's own rules: the plans of a project and the
/// branding's fields. A host that checks here refuses a bad request before anything is queued.
/// </summary>
public static class TenantCatalog
{
    /// <summary>The plans of the project whose stack settings live in <paramref name="settingsDirectory"/>, by name.</summary>
    /// <exception cref="ConfigException">The plans file is missing or invalid.</exception>
    public static IReadOnlyList<PlanSummary> Plans(string settingsDirectory) =>
        [.. TenantPlans.Load(TenantPlans.PathIn(settingsDirectory)).Values
            .OrderBy(static p => p.Name, StringComparer.Ordinal)
            .Select(static p => new PlanSummary(p.Name, p.Description, p.ConnectionLimit, p.DatabaseSize, p.BackupSchedule, p.BackupRetentionDays, p.Protect, p.Features))];

    /// <summary>
    /// Returns the first problem of a branding object as (field, message), or <see langword="null"/> when it is valid.
    /// The field is the branding's own (<c>primaryColor</c>); an unknown field is a problem too.
    /// </summary>
    public static (string Field, string Message)? BrandingProblem(JsonElement branding)
    {
        if (branding.ValueKind != JsonValueKind.Object)
        {
            return (string.Empty, "must be an object like {\"primaryColor\": \"#0055ff\"}");
        }

        foreach (var property in branding.EnumerateObject())
        {
            if (property.Name is not ("primaryColor" or "secondaryColor" or "logoUrl" or "customDomain"))
            {
                return (property.Name, "is not a branding field; use primaryColor, secondaryColor, logoUrl or customDomain");
            }

            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return (property.Name, "must be a string");
            }
        }

        var parsed = branding.Deserialize<TenantBranding>() ?? new TenantBranding();
        return parsed.Problem();
    }
}
