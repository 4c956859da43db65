using Microsoft.Data.Sqlite;

namespace Infra.State.Sqlite;

public sealed partial class SqliteStateBackend
{
    /// <inheritdoc/>
    public async Task<long> WriteAsync(string stack, string lockId, IReadOnlyList<StoredMutation> mutations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutations);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        // BEGIN IMMEDIATE: the lock check and the writes are one atomic unit against every other writer.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var holder = await ReadLockAsync(connection, stack, cancellationToken, transaction).ConfigureAwait(false);
        if (holder?.LockId != lockId)
        {
            throw new LockLostException(stack);
        }

        await using var upsert = Command(connection,
            "INSERT INTO resources (stack, urn, pending_delete, json) VALUES ($stack, $urn, $pd, $json) " +
            "ON CONFLICT (stack, urn, pending_delete) DO UPDATE SET json = excluded.json", transaction);
        var upsertUrn = upsert.Parameters.Add("$urn", SqliteType.Text);
        var upsertPending = upsert.Parameters.Add("$pd", SqliteType.Integer);
        var upsertJson = upsert.Parameters.Add("$json", SqliteType.Text);
        upsert.Parameters.AddWithValue("$stack", stack);

        foreach (var mutation in mutations)
        {
            switch (mutation)
            {
                case StoredMutation.UpsertResource u:
                    upsertUrn.Value = u.Urn;
                    upsertPending.Value = u.PendingDelete ? 1 : 0;
                    upsertJson.Value = u.Json;
                    await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case StoredMutation.DeleteResource d:
                    await ExecuteAsync("DELETE FROM resources WHERE stack = $stack AND urn = $urn AND pending_delete = $pd",
                        ("$urn", d.Urn), ("$pd", d.PendingDelete ? 1 : 0)).ConfigureAwait(false);
                    break;
                case StoredMutation.RenameResource r:
                    await ExecuteAsync("UPDATE resources SET urn = $new WHERE stack = $stack AND urn = $old AND pending_delete = 0",
                        ("$old", r.OldUrn), ("$new", r.NewUrn)).ConfigureAwait(false);
                    break;
                case StoredMutation.AddPending a:
                    await ExecuteAsync("INSERT INTO pending (stack, id, json) VALUES ($stack, $id, $json)", ("$id", a.Id), ("$json", a.Json)).ConfigureAwait(false);
                    break;
                case StoredMutation.RemovePending p:
                    await ExecuteAsync("DELETE FROM pending WHERE stack = $stack AND id = $id", ("$id", p.Id)).ConfigureAwait(false);
                    break;
                case StoredMutation.SetOutputs o:
                    await ExecuteAsync("UPDATE stacks SET outputs = $json WHERE name = $stack", ("$json", o.Json)).ConfigureAwait(false);
                    break;
                case StoredMutation.Clear:
                    await ExecuteAsync("DELETE FROM resources WHERE stack = $stack").ConfigureAwait(false);
                    await ExecuteAsync("DELETE FROM pending WHERE stack = $stack").ConfigureAwait(false);
                    break;
            }
        }

        long serial;
        await using (var bump = Command(connection,
            "UPDATE stacks SET serial = serial + 1, updated = $now WHERE name = $stack RETURNING serial", transaction,
            ("$stack", stack), ("$now", Timestamp(DateTimeOffset.UtcNow))))
        {
            serial = (long)(await bump.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InfraException($"stack '{stack}' does not exist in {DisplayUrl}."));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return serial;

        async Task ExecuteAsync(string sql, params (string, object?)[] parameters)
        {
            await using var command = Command(connection, sql, transaction, [("$stack", stack), .. parameters]);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
