namespace Infra.State.Postgres;

public sealed partial class PostgresStateBackend
{
    /// <inheritdoc/>
    public async Task<long> StartUpdateAsync(string stack, UpdateRecord update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var command = _dataSource.CreateCommand(Sql("""
            INSERT INTO {schema}.updates (stack, kind, started, result, counts, user_name, host, pid)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """));
        command.Parameters.AddWithValue(stack);
        command.Parameters.AddWithValue(update.Kind);
        command.Parameters.AddWithValue(update.Started.ToUniversalTime());
        command.Parameters.AddWithValue(update.Result);
        command.Parameters.AddWithValue(update.CountsJson);
        command.Parameters.AddWithValue(update.User);
        command.Parameters.AddWithValue(update.Host);
        command.Parameters.AddWithValue(update.Pid);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc/>
    public async Task FinishUpdateAsync(string stack, long updateId, string result, string countsJson, DateTimeOffset ended, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql("UPDATE {schema}.updates SET result = $3, counts = $4, ended = $5 WHERE stack = $1 AND id = $2"));
        command.Parameters.AddWithValue(stack);
        command.Parameters.AddWithValue(updateId);
        command.Parameters.AddWithValue(result);
        command.Parameters.AddWithValue(countsJson);
        command.Parameters.AddWithValue(ended.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<UpdateRecord>> ListUpdatesAsync(string stack, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql(
            "SELECT id, kind, started, ended, result, counts, user_name, host, pid FROM {schema}.updates WHERE stack = $1 ORDER BY id DESC"));
        command.Parameters.AddWithValue(stack);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var updates = new List<UpdateRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            updates.Add(new UpdateRecord
            {
                Id = reader.GetInt64(0),
                Kind = reader.GetString(1),
                Started = reader.GetFieldValue<DateTimeOffset>(2),
                Ended = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                Result = reader.GetString(4),
                CountsJson = reader.GetString(5),
                User = reader.GetString(6),
                Host = reader.GetString(7),
                Pid = reader.GetInt32(8),
            });
        }

        return updates;
    }
}
