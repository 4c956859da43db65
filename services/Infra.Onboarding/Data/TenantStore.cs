using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Infra.Onboarding.Data;

/// <summary>What a create request asks for, already checked.</summary>
/// <param name="Id">The tenant id.</param>
/// <param name="Plan">Its plan.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="Branding">Its branding, if any.</param>
internal sealed record NewTenant(string Id, string Plan, string DisplayName, JsonObject? Branding);

/// <summary>The idempotency key of a request: the client that sent it, its key and a hash of its body.</summary>
internal sealed record IdempotencyKey(string Client, string Key, string RequestHash);

/// <summary>A stored answer, replayed for a repeated request.</summary>
internal sealed record StoredResponse(int StatusCode, string? Location, string Body);

/// <summary>How a create request ended.</summary>
internal abstract record CreateOutcome
{
    public sealed record Accepted(Guid OperationId) : CreateOutcome;

    public sealed record Replayed(StoredResponse Response) : CreateOutcome;

    public sealed record KeyReused : CreateOutcome;

    public sealed record TenantExists : CreateOutcome;
}

/// <summary>The tenants, their operations, backups and idempotency keys, in the service database.</summary>
internal sealed partial class TenantStore(OnboardingDatabase database, TenantViewCache views)
{
    private readonly NpgsqlDataSource _db = database.DataSource;

    /// <summary>
    /// Records a new tenant and its create operation in one transaction, or replays the answer stored for the same
    /// idempotency key. A concurrent request with the same key waits on the key's row and then replays.
    /// </summary>
    public async Task<CreateOutcome> CreateAsync(NewTenant tenant, IdempotencyKey? key, string actor, string? traceParent, Func<Guid, StoredResponse> answer,
        CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (key is not null)
        {
            await using var claim = new NpgsqlCommand(
                "INSERT INTO onboarding.idempotency (client, key, request_hash, status_code, body) VALUES ($1, $2, $3, 0, '') ON CONFLICT DO NOTHING",
                connection, transaction);
            claim.Parameters.Add(new() { Value = key.Client });
            claim.Parameters.Add(new() { Value = key.Key });
            claim.Parameters.Add(new() { Value = key.RequestHash });
            if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return await StoredAsync(key, cancellationToken).ConfigureAwait(false);
            }
        }

        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO onboarding.tenants (id, plan, display_name, branding, status) VALUES ($1, $2, $3, $4, 'pending')
            ON CONFLICT (id) DO UPDATE SET plan = excluded.plan, display_name = excluded.display_name, branding = excluded.branding,
                status = 'pending', outputs = '{}', created = now(), updated = now()
                WHERE onboarding.tenants.status = 'deleted'
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = tenant.Id });
            insert.Parameters.Add(new() { Value = tenant.Plan });
            insert.Parameters.Add(new() { Value = tenant.DisplayName });
            insert.Parameters.Add(Jsonb(tenant.Branding?.ToJsonString()));
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return new CreateOutcome.TenantExists();
            }
        }

        var operation = await InsertOperationAsync(connection, transaction, tenant.Id, OperationKind.Create, "{}", actor, traceParent, cancellationToken)
            .ConfigureAwait(false);
        if (key is not null)
        {
            var response = answer(operation);
            await using var store = new NpgsqlCommand(
                "UPDATE onboarding.idempotency SET status_code = $3, location = $4, body = $5 WHERE client = $1 AND key = $2", connection, transaction);
            store.Parameters.Add(new() { Value = key.Client });
            store.Parameters.Add(new() { Value = key.Key });
            store.Parameters.Add(new() { Value = response.StatusCode });
            store.Parameters.Add(new() { Value = (object?)response.Location ?? DBNull.Value });
            store.Parameters.Add(new() { Value = response.Body });
            await store.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        views.Invalidate(tenant.Id); // a deleted tenant onboarded again: its old view must not answer the next read
        return new CreateOutcome.Accepted(operation);
    }

    private async Task<CreateOutcome> StoredAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand("SELECT request_hash, status_code, location, body FROM onboarding.idempotency WHERE client = $1 AND key = $2");
        command.Parameters.Add(new() { Value = key.Client });
        command.Parameters.Add(new() { Value = key.Key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // The first request with this key rolled back between our insert and this read: the key is free again,
            // but answering "reused" is wrong too; ask the client to retry.
            throw new NpgsqlException("the idempotency key's first request was rolled back; retry.");
        }

        return reader.GetString(0) != key.RequestHash
            ? new CreateOutcome.KeyReused()
            : new CreateOutcome.Replayed(new StoredResponse(reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
    }

    /// <summary>
    /// Queues an operation on an existing tenant after <paramref name="check"/> accepts the tenant as it is now (its
    /// row locked), then applies <paramref name="change"/> (a plan change) in the same transaction.
    /// </summary>
    /// <returns>The operation, or the refusal <paramref name="check"/> returned; <see langword="null"/> when the tenant does not exist.</returns>
    public async Task<(Guid? Operation, string? Refusal)?> QueueAsync(
        string tenantId, string kind, JsonObject parameters, string actor, string? traceParent, Func<TenantRow, string?> check,
        Func<NpgsqlConnection, NpgsqlTransaction, Task>? change, string? statusAfter, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        TenantRow row;
        await using (var select = new NpgsqlCommand("SELECT id, plan, display_name, branding::text, status FROM onboarding.tenants WHERE id = $1 FOR UPDATE",
                         connection, transaction))
        {
            select.Parameters.Add(new() { Value = tenantId });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            row = new TenantRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4));
        }

        if (check(row) is { } refusal)
        {
            return (null, refusal);
        }

        if (change is not null)
        {
            await change(connection, transaction).ConfigureAwait(false);
        }

        if (statusAfter is not null)
        {
            await using var status = new NpgsqlCommand("UPDATE onboarding.tenants SET status = $2, updated = now() WHERE id = $1", connection, transaction);
            status.Parameters.Add(new() { Value = tenantId });
            status.Parameters.Add(new() { Value = statusAfter });
            await status.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var operation = await InsertOperationAsync(connection, transaction, tenantId, kind, parameters.ToJsonString(), actor, traceParent, cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        // The listener hears this change too, a moment later; dropping the view now means this instance's next read sees
        // the operation just queued (a client that PATCHes and then GETs).
        views.Invalidate(tenantId);
        return (operation, null);
    }

    private static async Task<Guid> InsertOperationAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, string kind, string parameters, string actor, string? traceParent,
        CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        await using var command = new NpgsqlCommand(
            """
            WITH inserted AS (
                INSERT INTO onboarding.operations (id, tenant_id, kind, status, parameters, requested_by, trace_parent) VALUES ($1, $2, $3, 'queued', $4, $5, $6))
            UPDATE onboarding.tenants SET last_operation = $1, updated = now() WHERE id = $2
            """, connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(Jsonb(parameters));
        command.Parameters.Add(new() { Value = actor });
        command.Parameters.Add(new() { Value = (object?)traceParent ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The tenant, with its last operation; <see langword="null"/> when there is none.</summary>
    public async Task<TenantView?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(TenantSelect + " WHERE t.id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTenant(reader) : null;
    }

    /// <summary>
    /// The tenant as <see cref="GetAsync"/> reads it, from <see cref="TenantViewCache"/> when it holds a current copy. For
    /// answering reads only: a decision that changes a tenant reads the database.
    /// </summary>
    public async Task<TenantView?> GetCachedAsync(string id, CancellationToken cancellationToken)
    {
        if (views.TryGet(id, out var cached))
        {
            return cached;
        }

        var generation = views.Generation;
        var view = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (view is not null)
        {
            views.Add(id, view, generation);
        }

        return view;
    }

    /// <summary>A page of tenants ordered by id, filtered by plan and status.</summary>
    public async Task<Page<TenantView>> ListAsync(string? plan, string? status, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            TenantSelect + " WHERE ($1::text IS NULL OR t.plan = $1) AND ($2::text IS NULL OR t.status = $2) AND ($3::text IS NULL OR t.id > $3) ORDER BY t.id LIMIT $4");
        command.Parameters.Add(new() { Value = (object?)plan ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit + 1 });
        var items = new List<TenantView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ReadTenant(reader));
        }

        return items.Count > limit
            ? new Page<TenantView>(items[..limit], Cursor.Encode(items[limit - 1].Id))
            : new Page<TenantView>(items, null);
    }

    /// <summary>An operation; <see langword="null"/> when there is none.</summary>
    public async Task<OperationView?> GetOperationAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(OperationSelect + " WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadOperation(reader, 0) : null;
    }

    /// <summary>The tenant's operations, newest first.</summary>
    public async Task<IReadOnlyList<OperationView>> ListOperationsAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(OperationSelect + " WHERE tenant_id = $1 ORDER BY created DESC LIMIT $2");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = limit });
        var items = new List<OperationView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(ReadOperation(reader, 0));
        }

        return items;
    }

    /// <summary>The tenant's backups, newest first.</summary>
    public async Task<IReadOnlyList<BackupView>> ListBackupsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand(
            "SELECT id, operation_id, dump_file, size_bytes, sha256, created FROM onboarding.backups WHERE tenant_id = $1 ORDER BY created DESC");
        command.Parameters.Add(new() { Value = tenantId });
        var items = new List<BackupView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new BackupView(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return items;
    }

    /// <summary>One backup of the tenant; <see langword="null"/> when the tenant has no such backup.</summary>
    public async Task<BackupView?> GetBackupAsync(string tenantId, Guid id, CancellationToken cancellationToken) =>
        (await ListBackupsAsync(tenantId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.Id == id);

    internal static NpgsqlParameter Jsonb(string? json) =>
        new() { Value = (object?)json ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private const string TenantSelect =
        "SELECT t.id, t.plan, t.display_name, t.branding::text, t.status, t.outputs::text, t.created, t.updated, " +
        "o.id, o.tenant_id, o.kind, o.status, o.attempts, o.error, o.error_reason, o.resources::text, o.result::text, o.created, o.started, o.finished " +
        "FROM onboarding.tenants t LEFT JOIN onboarding.operations o ON o.id = t.last_operation";

    private const string OperationSelect =
        "SELECT id, tenant_id, kind, status, attempts, error, error_reason, resources::text, result::text, created, started, finished FROM onboarding.operations";

    private static TenantView ReadTenant(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : JsonNode.Parse(reader.GetString(3))?.AsObject(),
        reader.GetString(4),
        JsonNode.Parse(reader.GetString(5))!.AsObject(),
        reader.IsDBNull(8) ? null : ReadOperation(reader, 8),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.GetFieldValue<DateTimeOffset>(7));

    private static OperationView ReadOperation(NpgsqlDataReader reader, int at) => new(
        reader.GetGuid(at),
        reader.GetString(at + 1),
        reader.GetString(at + 2),
        reader.GetString(at + 3),
        reader.GetInt32(at + 4),
        reader.IsDBNull(at + 5) ? null : reader.GetString(at + 5),
        reader.IsDBNull(at + 6) ? null : reader.GetString(at + 6),
        JsonSerializer.Deserialize<List<ResourceEvent>>(reader.GetString(at + 7), Json.Web) ?? [],
        reader.IsDBNull(at + 8) ? null : JsonDocument.Parse(reader.GetString(at + 8)).RootElement.Clone(),
        reader.GetFieldValue<DateTimeOffset>(at + 9),
        reader.IsDBNull(at + 10) ? null : reader.GetFieldValue<DateTimeOffset>(at + 10),
        reader.IsDBNull(at + 11) ? null : reader.GetFieldValue<DateTimeOffset>(at + 11));
}

/// <summary>A tenant's row as a queued change sees it.</summary>
internal sealed record TenantRow(string Id, string Plan, string DisplayName, string? BrandingJson, string Status);

/// <summary>Opaque page cursors: the last item's key, base64url-encoded.</summary>
internal static class Cursor
{
    public static string Encode(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? Decode(string cursor)
    {
        var text = cursor.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
