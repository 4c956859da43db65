using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Infra.Onboarding.Auth;
using Infra.Onboarding.Data;
using Infra.Onboarding.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Infra.Onboarding.Apis;

/// <summary>The tenant endpoints under <c>/v1/tenants</c>.</summary>
internal static class TenantsApi
{
    public static RouteGroupBuilder MapTenantsApi(this RouteGroupBuilder v1)
    {
        var tenants = v1.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapPost("/", CreateAsync).WithName("CreateTenant").WithSummary("Onboard a tenant")
            .Accepts<CreateTenantRequest>("application/json")
            .WithDescription("Queues the tenant's creation. With an Idempotency-Key header, the same key and body give the same answer; the same key with another body gives 409.")
            .Produces<OperationAccepted>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(409).ProducesProblem(413);
        tenants.MapGet("/", ListAsync).WithName("ListTenants").WithSummary("List tenants, paged").ProducesProblem(400);
        tenants.MapGet("/{id}", GetAsync).WithName("GetTenant").WithSummary("A tenant's status, plan, outputs and last operation").ProducesProblem(404);
        tenants.MapPatch("/{id}", UpdateAsync).WithName("UpdateTenant").WithSummary("Change a tenant's plan, display name or branding")
            .Accepts<UpdateTenantRequest>("application/json")
            .Produces<OperationAccepted>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        tenants.MapDelete("/{id}", DeleteAsync).WithName("DeleteTenant").WithSummary("Remove a tenant; a protected (enterprise) tenant needs force=true and the admin scope")
            .Produces<OperationAccepted>(StatusCodes.Status202Accepted).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        tenants.MapGet("/{id}/operations", OperationsAsync).WithName("ListTenantOperations").WithSummary("A tenant's operations, newest first").ProducesProblem(404);
        tenants.MapPost("/{id}/backups", BackupAsync).WithName("BackUpTenant").WithSummary("Queue a backup of the tenant's database")
            .Produces<OperationAccepted>(StatusCodes.Status202Accepted).ProducesProblem(404).ProducesProblem(409);
        tenants.MapGet("/{id}/backups", BackupsAsync).WithName("ListTenantBackups").WithSummary("A tenant's backups, newest first").ProducesProblem(404);
        tenants.MapPost("/{id}/restore", RestoreAsync).WithName("RestoreTenant").WithSummary("Queue a restore of one of the tenant's backups")
            .Accepts<RestoreRequest>("application/json")
            .Produces<OperationAccepted>(StatusCodes.Status202Accepted).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        return v1;
    }

    private static async Task<Results<Accepted<OperationAccepted>, ContentHttpResult, ProblemHttpResult>> CreateAsync(
        HttpContext context, TenantStore store, TenantRules rules, AuditLog audit, IBackgroundJobClient jobs, CancellationToken cancellationToken,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey = null)
    {
        var caller = Caller.From(context.User);
        if (!caller.IsOperator)
        {
            return Problems.Forbidden("onboarding a tenant needs the operator or admin scope.");
        }

        var (body, raw, problem) = await RequestBody.ReadAsync<CreateTenantRequest>(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (idempotencyKey is { Length: 0 or > 200 })
        {
            return Problems.Field("Idempotency-Key", "must be 1 to 200 characters.");
        }

        var (branding, brandingProblem) = TenantRules.Branding(body!.Branding);
        if ((TenantRules.IdProblem(body.Id) ?? rules.PlanProblem(body.Plan, required: true) ?? TenantRules.DisplayNameProblem(body.DisplayName, required: true) ??
             brandingProblem) is { } invalid)
        {
            return invalid;
        }

        var tenant = new NewTenant(body.Id!, body.Plan!, body.DisplayName!, branding);
        var key = idempotencyKey is null ? null : new IdempotencyKey(caller.Subject, idempotencyKey, RequestBody.Hash(raw));
        var location = $"/v1/tenants/{tenant.Id}";
        var outcome = await store.CreateAsync(tenant, key, caller.Subject, Activity.Current?.Id,
            operation => new StoredResponse(StatusCodes.Status202Accepted, location,
                JsonSerializer.Serialize(new OperationAccepted(tenant.Id, operation, OperationStatus.Queued), Json.Web)), cancellationToken);
        switch (outcome)
        {
            case CreateOutcome.Accepted accepted:
                await audit.WriteAsync(caller.Subject, "tenant.create", tenant.Id, "accepted", accepted.OperationId.ToString(), cancellationToken);
                await TenantJobs.EnqueueAsync(jobs, store, accepted.OperationId, delay: null, cancellationToken);
                return TypedResults.Accepted(location, new OperationAccepted(tenant.Id, accepted.OperationId, OperationStatus.Queued));
            case CreateOutcome.Replayed replayed:
                context.Response.StatusCode = replayed.Response.StatusCode;
                context.Response.Headers.Location = replayed.Response.Location;
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Content(replayed.Response.Body, "application/json", statusCode: replayed.Response.StatusCode);
            case CreateOutcome.KeyReused:
                await audit.WriteAsync(caller.Subject, "tenant.create", tenant.Id, "rejected", "idempotency key reused with another body", cancellationToken);
                return Problems.Conflict($"the Idempotency-Key '{idempotencyKey}' was used with another body.");
            default:
                await audit.WriteAsync(caller.Subject, "tenant.create", tenant.Id, "rejected", "tenant exists", cancellationToken);
                return Problems.Conflict($"tenant '{tenant.Id}' exists.");
        }
    }

    private static async Task<Results<Ok<Page<TenantView>>, ProblemHttpResult>> ListAsync(
        HttpContext context, TenantStore store, TenantRules rules, CancellationToken cancellationToken,
        string? plan = null, string? status = null, string? cursor = null, int? limit = null)
    {
        var caller = Caller.From(context.User);
        if (plan is not null && rules.PlanProblem(plan, required: false) is { } planProblem)
        {
            return planProblem;
        }

        if (status is not null && !TenantStatus.All.Contains(status))
        {
            return Problems.Field("status", $"{ErrorText.Quote(status)} is not a status; use one of {string.Join(", ", TenantStatus.All)}.");
        }

        if (limit is < 1 or > 500)
        {
            return Problems.Field("limit", "must be 1 to 500.");
        }

        string? after = null;
        if (cursor is not null && (after = Cursor.Decode(cursor)) is null)
        {
            return Problems.Field("cursor", "is not a cursor this API returned.");
        }

        if (caller.OwnTenant is { } own)
        {
            // A tenant token lists only its own tenant.
            var view = await store.GetCachedAsync(own, cancellationToken);
            var items = view is not null && (plan is null || view.Plan == plan) && (status is null || view.Status == status) && (after is null || string.CompareOrdinal(own, after) > 0)
                ? new[] { view }
                : [];
            return TypedResults.Ok(new Page<TenantView>(items, null));
        }

        if (!caller.IsOperator)
        {
            return TypedResults.Ok(new Page<TenantView>([], null));
        }

        return TypedResults.Ok(await store.ListAsync(plan, status, after, limit ?? 100, cancellationToken));
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> GetAsync(string id, HttpContext context, TenantStore store, CancellationToken cancellationToken)
    {
        var caller = Caller.From(context.User);
        // A tenant token asking for another tenant gets the same 404 as for a tenant that does not exist.
        if (!caller.CanRead(id) || await store.GetCachedAsync(id, cancellationToken) is not { } tenant)
        {
            return Problems.NotFound($"tenant '{id}'");
        }

        return TypedResults.Ok(tenant);
    }

    private static async Task<Results<Accepted<OperationAccepted>, ProblemHttpResult>> UpdateAsync(
        string id, HttpContext context, TenantStore store, TenantRules rules, AuditLog audit, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var caller = Caller.From(context.User);
        if (!caller.IsOperator)
        {
            return caller.CanRead(id) ? Problems.Forbidden("changing a tenant needs the operator or admin scope.") : Problems.NotFound($"tenant '{id}'");
        }

        var (body, _, problem) = await RequestBody.ReadAsync<UpdateTenantRequest>(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (branding, brandingProblem) = TenantRules.Branding(body!.Branding);
        if ((rules.PlanProblem(body.Plan, required: false) ?? TenantRules.DisplayNameProblem(body.DisplayName, required: false) ?? brandingProblem) is { } invalid)
        {
            return invalid;
        }

        if (body.Plan is null && body.DisplayName is null && body.Branding is null)
        {
            return Problems.Field("body", "names nothing to change; send plan, displayName or branding.");
        }

        var queued = await store.QueueAsync(id, OperationKind.Update, new JsonObject { ["plan"] = body.Plan, ["displayName"] = body.DisplayName }, caller.Subject,
            Activity.Current?.Id,
            tenant => tenant.Status is TenantStatus.Deleting or TenantStatus.Deleted ? $"tenant '{id}' is {tenant.Status}." : null,
            async (connection, transaction) =>
            {
                await using var command = new NpgsqlCommand(
                    "UPDATE onboarding.tenants SET plan = coalesce($2, plan), display_name = coalesce($3, display_name), " +
                    "branding = CASE WHEN $4 THEN $5 ELSE branding END WHERE id = $1", connection, transaction);
                command.Parameters.Add(new() { Value = id });
                command.Parameters.Add(new() { Value = (object?)body.Plan ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                command.Parameters.Add(new() { Value = (object?)body.DisplayName ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                command.Parameters.Add(new() { Value = body.Branding is not null });
                command.Parameters.Add(TenantStore.Jsonb(branding?.ToJsonString()));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }, statusAfter: null, cancellationToken);
        return await AnswerAsync(queued, id, "tenant.update", caller, store, audit, jobs, cancellationToken);
    }

    private static async Task<Results<Accepted<OperationAccepted>, ProblemHttpResult>> DeleteAsync(
        string id, HttpContext context, TenantStore store, TenantRules rules, AuditLog audit, IBackgroundJobClient jobs, CancellationToken cancellationToken,
        bool force = false)
    {
        var caller = Caller.From(context.User);
        if (!caller.IsOperator)
        {
            return caller.CanRead(id) ? Problems.Forbidden("deleting a tenant needs the operator or admin scope.") : Problems.NotFound($"tenant '{id}'");
        }

        if (force && !caller.IsAdmin)
        {
            await audit.WriteAsync(caller.Subject, "tenant.delete", id, "rejected", "force without admin scope", cancellationToken);
            return Problems.Forbidden("a forced delete needs the admin scope.");
        }

        var queued = await store.QueueAsync(id, OperationKind.Delete, new JsonObject { ["force"] = force }, caller.Subject, Activity.Current?.Id,
            tenant => tenant.Status is TenantStatus.Deleting or TenantStatus.Deleted ? $"tenant '{id}' is {tenant.Status}."
                : rules.Plan(tenant.Plan)?.Protect == true && !force ? $"tenant '{id}' is on the protected plan '{tenant.Plan}'; deleting it needs force=true and the admin scope."
                : null,
            change: null, statusAfter: TenantStatus.Deleting, cancellationToken);
        return await AnswerAsync(queued, id, "tenant.delete", caller, store, audit, jobs, cancellationToken);
    }

    private static async Task<Results<Ok<IReadOnlyList<OperationView>>, ProblemHttpResult>> OperationsAsync(
        string id, HttpContext context, TenantStore store, CancellationToken cancellationToken)
    {
        if (!Caller.From(context.User).CanRead(id) || await store.GetAsync(id, cancellationToken) is null)
        {
            return Problems.NotFound($"tenant '{id}'");
        }

        return TypedResults.Ok(await store.ListOperationsAsync(id, 50, cancellationToken));
    }

    private static async Task<Results<Accepted<OperationAccepted>, ProblemHttpResult>> BackupAsync(
        string id, HttpContext context, TenantStore store, AuditLog audit, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var caller = Caller.From(context.User);
        if (!caller.CanRead(id))
        {
            return Problems.NotFound($"tenant '{id}'");
        }

        var queued = await store.QueueAsync(id, OperationKind.Backup, [], caller.Subject, Activity.Current?.Id,
            tenant => tenant.Status == TenantStatus.Ready ? null : $"tenant '{id}' is {tenant.Status}; back it up once it is ready.",
            change: null, statusAfter: null, cancellationToken);
        return await AnswerAsync(queued, id, "tenant.backup", caller, store, audit, jobs, cancellationToken);
    }

    private static async Task<Results<Ok<IReadOnlyList<BackupView>>, ProblemHttpResult>> BackupsAsync(
        string id, HttpContext context, TenantStore store, CancellationToken cancellationToken)
    {
        if (!Caller.From(context.User).CanRead(id) || await store.GetAsync(id, cancellationToken) is null)
        {
            return Problems.NotFound($"tenant '{id}'");
        }

        return TypedResults.Ok(await store.ListBackupsAsync(id, cancellationToken));
    }

    private static async Task<Results<Accepted<OperationAccepted>, ProblemHttpResult>> RestoreAsync(
        string id, HttpContext context, TenantStore store, AuditLog audit, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var caller = Caller.From(context.User);
        if (!caller.IsOperator)
        {
            return caller.CanRead(id) ? Problems.Forbidden("restoring a tenant needs the operator or admin scope.") : Problems.NotFound($"tenant '{id}'");
        }

        var (body, _, problem) = await RequestBody.ReadAsync<RestoreRequest>(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.BackupId is not { } backupId)
        {
            return Problems.Field("backupId", "is required.");
        }

        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return Problems.NotFound($"tenant '{id}'");
        }

        if (await store.GetBackupAsync(id, backupId, cancellationToken) is not { } backup)
        {
            return Problems.Field("backupId", $"'{backupId}' is not a backup of tenant '{id}'.");
        }

        var queued = await store.QueueAsync(id, OperationKind.Restore, new JsonObject { ["backupId"] = backupId, ["dumpFile"] = backup.DumpFile }, caller.Subject,
            Activity.Current?.Id,
            tenant => tenant.Status == TenantStatus.Ready ? null : $"tenant '{id}' is {tenant.Status}; restore needs a ready tenant.",
            change: null, statusAfter: null, cancellationToken);
        return await AnswerAsync(queued, id, "tenant.restore", caller, store, audit, jobs, cancellationToken);
    }

    private static async Task<Results<Accepted<OperationAccepted>, ProblemHttpResult>> AnswerAsync(
        (Guid? Operation, string? Refusal)? queued, string id, string action, Caller caller, TenantStore store, AuditLog audit, IBackgroundJobClient jobs,
        CancellationToken cancellationToken)
    {
        switch (queued)
        {
            case null:
                return Problems.NotFound($"tenant '{id}'");
            case { Refusal: { } refusal }:
                await audit.WriteAsync(caller.Subject, action, id, "rejected", refusal, cancellationToken);
                return Problems.Conflict(refusal);
            case { Operation: { } operation }:
                await audit.WriteAsync(caller.Subject, action, id, "accepted", operation.ToString(), cancellationToken);
                await TenantJobs.EnqueueAsync(jobs, store, operation, delay: null, cancellationToken);
                return TypedResults.Accepted($"/v1/operations/{operation}", new OperationAccepted(id, operation, OperationStatus.Queued));
            default:
                throw new UnreachableException();
        }
    }
}
