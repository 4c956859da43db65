using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.Onboarding.Data;

/// <summary>A tenant's lifecycle states, in the words the API answers with.</summary>
public static class TenantStatus
{
    /// <summary>Accepted; its first operation has not started.</summary>
    public const string Pending = "pending";

    /// <summary>Its stack is being brought up or changed.</summary>
    public const string Provisioning = "provisioning";

    /// <summary>Its stack is up.</summary>
    public const string Ready = "ready";

    /// <summary>Its last create or change failed for good.</summary>
    public const string Failed = "failed";

    /// <summary>Its stack is being destroyed.</summary>
    public const string Deleting = "deleting";

    /// <summary>Its stack is gone.</summary>
    public const string Deleted = "deleted";

    /// <summary>Every status, for query validation.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Provisioning, Ready, Failed, Deleting, Deleted];
}

/// <summary>An operation's states.</summary>
public static class OperationStatus
{
    /// <summary>Waiting for a worker.</summary>
    public const string Queued = "queued";

    /// <summary>A worker runs it.</summary>
    public const string Running = "running";

    /// <summary>Finished.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Failed for good.</summary>
    public const string Failed = "failed";

    /// <summary>Every status.</summary>
    public static IReadOnlyList<string> All { get; } = [Queued, Running, Succeeded, Failed];
}

/// <summary>What an operation does to a tenant's stack.</summary>
public static class OperationKind
{
    /// <summary>Bring the stack up for the first time.</summary>
    public const string Create = "create";

    /// <summary>Apply a changed plan, display name or branding.</summary>
    public const string Update = "update";

    /// <summary>Destroy the stack and remove it.</summary>
    public const string Delete = "delete";

    /// <summary>Dump the tenant's database.</summary>
    public const string Backup = "backup";

    /// <summary>Restore a backup into the tenant's database.</summary>
    public const string Restore = "restore";
}

/// <summary>A tenant as the API shows it.</summary>
/// <param name="Id">The tenant id.</param>
/// <param name="Plan">Its plan.</param>
/// <param name="DisplayName">Its name as people read it.</param>
/// <param name="Branding">Its branding, if any.</param>
/// <param name="Status">See <see cref="TenantStatus"/>.</param>
/// <param name="Outputs">The stack's non-secret outputs.</param>
/// <param name="LastOperation">Its most recent operation.</param>
/// <param name="Created">When it was requested.</param>
/// <param name="Updated">When it last changed.</param>
public sealed record TenantView(
    string Id, string Plan, string DisplayName, JsonObject? Branding, string Status, JsonObject Outputs, OperationView? LastOperation,
    DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>One step of an operation as the engine reported it, per resource.</summary>
/// <param name="Urn">The resource.</param>
/// <param name="Type">Its type.</param>
/// <param name="Op">What was done: create, update, delete, same…</param>
/// <param name="Status">succeeded or failed.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Error">The provider's error, for a failed step.</param>
public sealed record ResourceEvent(string Urn, string Type, string Op, string Status, long DurationMs, string? Error);

/// <summary>An operation as the API shows it.</summary>
/// <param name="Id">The operation id.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="Kind">See <see cref="OperationKind"/>.</param>
/// <param name="Status">See <see cref="OperationStatus"/>.</param>
/// <param name="Attempts">How many times a worker started it.</param>
/// <param name="Error">Why it failed (last attempt), if it did.</param>
/// <param name="ErrorReason">The failure's class: config, conflict, engine, database, timeout…</param>
/// <param name="Resources">The engine's events summarised per resource (last attempt).</param>
/// <param name="Result">What it produced (a backup's file), if anything.</param>
/// <param name="Created">When it was requested.</param>
/// <param name="Started">When its last attempt started.</param>
/// <param name="Finished">When it finished.</param>
public sealed record OperationView(
    Guid Id, string TenantId, string Kind, string Status, int Attempts, string? Error, string? ErrorReason, IReadOnlyList<ResourceEvent> Resources,
    JsonElement? Result, DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished);

/// <summary>A tenant backup.</summary>
/// <param name="Id">The backup id.</param>
/// <param name="OperationId">The operation that made it.</param>
/// <param name="DumpFile">The dump's file name, under the backup location.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="Sha256">Its checksum.</param>
/// <param name="Created">When it was taken.</param>
public sealed record BackupView(Guid Id, Guid OperationId, string DumpFile, long SizeBytes, string Sha256, DateTimeOffset Created);

/// <summary>One audit record.</summary>
/// <param name="Id">Its sequence number.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who (the token's subject).</param>
/// <param name="Action">What, e.g. <c>tenant.create</c>.</param>
/// <param name="TenantId">Which tenant, if any.</param>
/// <param name="Outcome">accepted, rejected, succeeded, failed…</param>
/// <param name="Detail">More, such as the operation id or the error.</param>
public sealed record AuditRecord(long Id, DateTimeOffset At, string Actor, string Action, string? TenantId, string Outcome, string? Detail);

/// <summary>A page of items and the cursor of the next page (<see langword="null"/> on the last).</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">This page.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The answer to a request that queued an operation.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="OperationId">Poll <c>/v1/operations/{operationId}</c>.</param>
/// <param name="Status">The operation's status when queued.</param>
public sealed record OperationAccepted(string TenantId, Guid OperationId, string Status);

internal static class Json
{
    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
