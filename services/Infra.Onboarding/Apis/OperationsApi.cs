using Infra.Onboarding.Auth;
using Infra.Onboarding.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Infra.Onboarding.Apis;

/// <summary>Operations, plans and the audit log under <c>/v1</c>.</summary>
internal static class OperationsApi
{
    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/operations/{id}", GetAsync).WithTags("Operations").WithName("GetOperation")
            .WithSummary("An operation's status, with the engine's events summarised per resource").ProducesProblem(400).ProducesProblem(404);
        v1.MapGet("/plans", (TenantRules rules) => TypedResults.Ok(rules.Plans)).WithTags("Plans").WithName("ListPlans").WithSummary("The plans a tenant can be on");
        v1.MapGet("/audit", AuditAsync).WithTags("Audit").WithName("ListAudit").WithSummary("The audit log, oldest first (admin only)")
            .ProducesProblem(400).ProducesProblem(403);
        return v1;
    }

    private static async Task<Results<Ok<OperationView>, ProblemHttpResult>> GetAsync(string id, HttpContext context, TenantStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var operationId))
        {
            return Problems.Field("id", $"{ErrorText.Quote(id)} is not an operation id.");
        }

        if (await store.GetOperationAsync(operationId, cancellationToken) is not { } operation || !Caller.From(context.User).CanRead(operation.TenantId))
        {
            return Problems.NotFound($"operation '{id}'");
        }

        return TypedResults.Ok(operation);
    }

    private static async Task<Results<Ok<Page<AuditRecord>>, ProblemHttpResult>> AuditAsync(
        HttpContext context, AuditLog audit, CancellationToken cancellationToken, string? tenant = null, string? cursor = null, int? limit = null)
    {
        if (!Caller.From(context.User).IsAdmin)
        {
            return Problems.Forbidden("the audit log needs the admin scope.");
        }

        if (limit is < 1 or > 500)
        {
            return Problems.Field("limit", "must be 1 to 500.");
        }

        long after = 0;
        if (cursor is not null && !(Cursor.Decode(cursor) is { } decoded && long.TryParse(decoded, System.Globalization.CultureInfo.InvariantCulture, out after)))
        {
            return Problems.Field("cursor", "is not a cursor this API returned.");
        }

        return TypedResults.Ok(await audit.ListAsync(tenant, after, limit ?? 100, cancellationToken));
    }
}
