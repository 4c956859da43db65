using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Onboarding.Hosting;
using Infra.Stacks.Kinds.Tenant;
using Infra.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Infra.Onboarding.Apis;

/// <summary>Checks request fields with the tenant stack's own rules, so a bad request is refused before anything is queued.</summary>
internal sealed class TenantRules(ServiceSettings settings)
{
    private readonly Lazy<IReadOnlyList<PlanSummary>> _plans = new(() => TenantCatalog.Plans(Path.Combine(settings.ProjectDirectory, "environments")));

    public IReadOnlyList<PlanSummary> Plans => _plans.Value;

    public PlanSummary? Plan(string name) => Plans.FirstOrDefault(p => p.Name == name);

    public static ProblemHttpResult? IdProblem(string? id) =>
        id is null ? Problems.Field("id", "is required.")
        : TenantConventions.IdProblem(id) is { } problem ? Problems.Field("id", $"{ErrorText.Quote(id)} {problem}.")
        : null;

    public ProblemHttpResult? PlanProblem(string? plan, bool required) =>
        plan is null ? (required ? Problems.Field("plan", "is required.") : null)
        : Plan(plan) is null ? Problems.Field("plan", $"{ErrorText.Quote(plan)} is not a plan; use one of {string.Join(", ", Plans.Select(static p => p.Name))}.")
        : null;

    public static ProblemHttpResult? DisplayNameProblem(string? displayName, bool required) =>
        displayName is null ? (required ? Problems.Field("displayName", "is required.") : null)
        : displayName.Trim().Length == 0 || displayName.Length > 100 || displayName.Any(char.IsControl)
            ? Problems.Field("displayName", "must be 1 to 100 characters without control characters.")
            : null;

    /// <summary>The branding as stored, or the problem naming <c>branding.&lt;field&gt;</c>.</summary>
    public static (JsonObject? Branding, ProblemHttpResult? Problem) Branding(JsonElement? branding)
    {
        if (branding is not { ValueKind: not JsonValueKind.Null } element)
        {
            return (null, null);
        }

        if (TenantCatalog.BrandingProblem(element) is { } problem)
        {
            return (null, Problems.Field(problem.Field.Length == 0 ? "branding" : $"branding.{problem.Field}", problem.Message + "."));
        }

        return (JsonNode.Parse(element.GetRawText())!.AsObject(), null);
    }
}
