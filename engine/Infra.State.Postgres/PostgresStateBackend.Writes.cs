using Npgsql;

namespace Infra.State.Postgres;

public sealed partial class PostgresStateBackend
{
    /// <inheritdoc/>
    public async Task<long> WriteAsync(string stack, string lockId, IReadOnlyList<StoredMutation> mutations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutations);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);

        // The lock row is held FOR SHARE until commit: a concurrent takeover waits, and a lost lock fails the batch.
        var check = new NpgsqlBatchCommand(Sql("SELECT 1 / (COUNT(*))::int FROM (SELECT 1 FROM {schema}.locks WHERE stack = $1 AND lock_id = $2 FOR SHARE) held"));
        check.Parameters.AddWithValue(stack);
        check.Parameters.AddWithValue(lockId);
        batch.BatchCommands.Add(check);

        foreach (var mutation in mutations)
        {
            batch.BatchCommands.Add(mutation switch
            {
                StoredMutation.UpsertResource u => Command(
                    "INSERT INTO {schema}.resources (stack, urn, pending_delete, json) VALUES ($1, $2, $3, $4) " +
                    "ON CONFLICT (stack, urn, pending_delete) DO UPDATE SET json = excluded.json", stack, u.Urn, u.PendingDelete, u.Json),
                StoredMutation.DeleteResource d => Command(
                    "DELETE FROM {schema}.resources WHERE stack = $1 AND urn = $2 AND pending_delete = $3", stack, d.Urn, d.PendingDelete),
                StoredMutation.RenameResource r => Command(
                    "UPDATE {schema}.resources SET urn = $3 WHERE stack = $1 AND urn = $2 AND NOT pending_delete", stack, r.OldUrn, r.NewUrn),
                StoredMutation.AddPending a => Command("INSERT INTO {schema}.pending (stack, id, json) VALUES ($1, $2, $3)", stack, a.Id, a.Json),
                StoredMutation.RemovePending p => Command("DELETE FROM {schema}.pending WHERE stack = $1 AND id = $2", stack, p.Id),
                StoredMutation.SetOutputs o => Command("UPDATE {schema}.stacks SET outputs = $2 WHERE name = $1", stack, o.Json),
                StoredMutation.Clear => Command(
                    "WITH r AS (DELETE FROM {schema}.resources WHERE stack = $1) DELETE FROM {schema}.pending WHERE stack = $1", stack),
                _ => throw new ArgumentOutOfRangeException(nameof(mutations)),
            });
        }

        batch.BatchCommands.Add(Command("UPDATE {schema}.stacks SET serial = serial + 1, updated = now() WHERE name = $1 RETURNING serial", stack));
        long serial = 0;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.FieldCount == 1 && reader.GetFieldType(0) == typeof(long))
                    {
                        serial = reader.GetInt64(0);
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DivisionByZero)
        {
            throw new LockLostException(stack);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return serial;
    }

    private NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(Sql(sql));
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        return command;
    }
}
