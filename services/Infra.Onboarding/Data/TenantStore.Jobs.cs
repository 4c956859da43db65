using System.Text.Json.Nodes;

namespace Infra.Onboarding.Data;

/// <summary>An operation as a worker needs it.</summary>
internal sealed record OperationRow(Guid Id, string TenantId, string Kind, string Status, int Attempts, JsonObject Parameters, DateTimeOffset Created, string? TraceParent);

internal sealed partial class TenantStore
{
    /// <summary>The operation and its tenant; <see langword="null"/> when the operation does not exist.</summary>
    public async Task<(OperationRow Operation, TenantRow Tenant)?> LoadWorkAsync(Guid operationId, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            "SELECT o.id, o.tenant_id, o.kind, o.status, o.attempts, o.parameters::text, o.created, o.trace_parent, " +
            "t.id, t.plan, t.display_name, t.branding::text, t.status " +
            "FROM onboarding.operations o JOIN onboarding.tenants t ON t.id = o.tenant_id WHERE o.id = $1");
        command.Parameters.Add(new() { Value = operationId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return (
            new OperationRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                JsonNode.Parse(reader.GetString(5))!.AsObject(), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7)),
            new TenantRow(reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetString(12)));
    }

    /// <summary>Marks an attempt started: the operation running, the tenant provisioning or deleting.</summary>
    public async Task<int> StartAttemptAsync(Guid operationId, string tenantId, string? tenantStatus, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            """
            UPDATE onboarding.operations SET status = 'running', attempts = attempts + 1, started = now(), error = NULL, error_reason = NULL
                WHERE id = $1 RETURNING attempts;
            """);
        command.Parameters.Add(new() { Value = operationId });
        var attempts = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (tenantStatus is not null)
        {
            await SetTenantStatusAsync(tenantId, tenantStatus, outputsJson: null, cancellationToken).ConfigureAwait(false);
        }

        return attempts;
    }

    /// <summary>Records an attempt's failure that will be retried: the error stays visible while the operation waits.</summary>
    public async Task RecordRetryAsync(Guid operationId, string error, string reason, string resourcesJson, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            "UPDATE onboarding.operations SET status = 'queued', error = $2, error_reason = $3, resources = $4 WHERE id = $1");
        command.Parameters.Add(new() { Value = operationId });
        command.Parameters.Add(new() { Value = error });
        command.Parameters.Add(new() { Value = reason });
        command.Parameters.Add(Jsonb(resourcesJson));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes an operation for good.</summary>
    public async Task FinishAsync(Guid operationId, string status, string? error, string? reason, string resourcesJson, string? resultJson,
        CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            "UPDATE onboarding.operations SET status = $2, error = $3, error_reason = $4, resources = $5, result = $6, finished = now() WHERE id = $1");
        command.Parameters.Add(new() { Value = operationId });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)reason ?? DBNull.Value });
        command.Parameters.Add(Jsonb(resourcesJson));
        command.Parameters.Add(Jsonb(resultJson));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the tenant's status, and its outputs when given.</summary>
    public async Task SetTenantStatusAsync(string tenantId, string status, string? outputsJson, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            "UPDATE onboarding.tenants SET status = $2, outputs = coalesce($3, outputs), updated = now() WHERE id = $1");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(Jsonb(outputsJson));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a backup the operation made; a repeated attempt's record replaces nothing (one per operation).</summary>
    public async Task AddBackupAsync(string tenantId, Guid operationId, string dumpFile, long size, string sha256, DateTimeOffset created,
        CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            """
            INSERT INTO onboarding.backups (id, tenant_id, operation_id, dump_file, size_bytes, sha256, created)
            SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM onboarding.backups WHERE operation_id = $3)
            """);
        command.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = operationId });
        command.Parameters.Add(new() { Value = dumpFile });
        command.Parameters.Add(new() { Value = size });
        command.Parameters.Add(new() { Value = sha256 });
        command.Parameters.Add(new() { Value = created });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Operations recorded but never handed to the job queue (the process stopped in between).</summary>
    public async Task<IReadOnlyList<Guid>> UnqueuedAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            "SELECT id FROM onboarding.operations WHERE job_id IS NULL AND status = 'queued' AND created < now() - $1 ORDER BY created LIMIT 500");
        command.Parameters.Add(new() { Value = olderThan });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>Records the job that runs the operation.</summary>
    public async Task SetJobAsync(Guid operationId, string jobId, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand("UPDATE onboarding.operations SET job_id = $2 WHERE id = $1 AND job_id IS NULL");
        command.Parameters.Add(new() { Value = operationId });
        command.Parameters.Add(new() { Value = jobId });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when an older operation of the same tenant has not finished: operations of a tenant run in order.</summary>
    public async Task<bool> HasEarlierUnfinishedAsync(OperationRow operation, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM onboarding.operations WHERE tenant_id = $1 AND id < $2 AND status IN ('queued', 'running'))");
        command.Parameters.Add(new() { Value = operation.TenantId });
        command.Parameters.Add(new() { Value = operation.Id });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Tenants counted by plan and status, for the metrics.</summary>
    public async Task<IReadOnlyList<(string Plan, string Status, long Count)>> CountTenantsAsync(CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand("SELECT plan, status, count(*) FROM onboarding.tenants GROUP BY plan, status");
        var rows = new List<(string, string, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return rows;
    }

    /// <summary>Operations counted by status, for the metrics.</summary>
    public async Task<IReadOnlyList<(string Status, long Count)>> CountOperationsAsync(CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand("SELECT status, count(*) FROM onboarding.operations GROUP BY status");
        var rows = new List<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }
}

/// <summary>The append-only audit log: who did what to which tenant, when, and the outcome.</summary>
internal sealed class AuditLog(OnboardingDatabase database)
{
    public async Task WriteAsync(string actor, string action, string? tenantId, string outcome, string? detail, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "INSERT INTO onboarding.audit (actor, action, tenant_id, outcome, detail) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new() { Value = actor });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = (object?)tenantId ?? DBNull.Value });
        command.Parameters.Add(new() { Value = outcome });
        command.Parameters.Add(new() { Value = (object?)detail ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records after <paramref name="afterId"/>, oldest first, optionally for one tenant.</summary>
    public async Task<Page<AuditRecord>> ListAsync(string? tenantId, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT id, at, actor, action, tenant_id, outcome, detail FROM onboarding.audit WHERE id > $1 AND ($2::text IS NULL OR tenant_id = $2) ORDER BY id LIMIT $3");
        command.Parameters.Add(new() { Value = afterId });
        command.Parameters.Add(new() { Value = (object?)tenantId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit + 1 });
        var items = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new AuditRecord(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return items.Count > limit
            ? new Page<AuditRecord>(items[..limit], Cursor.Encode(items[limit - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : new Page<AuditRecord>(items, null);
    }
}
