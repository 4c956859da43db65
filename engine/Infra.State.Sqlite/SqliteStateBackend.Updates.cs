namespace Infra.State.Sqlite;

public sealed partial class SqliteStateBackend
{
    /// <inheritdoc/>
    public async Task<long> StartUpdateAsync(string stack, UpdateRecord update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, """
            INSERT INTO updates (stack, kind, started, result, counts, user_name, host, pid)
            VALUES ($stack, $kind, $started, $result, $counts, $user, $host, $pid) RETURNING id
            """, null, ("$stack", stack), ("$kind", update.Kind), ("$started", Timestamp(update.Started)), ("$result", update.Result),
            ("$counts", update.CountsJson), ("$user", update.User), ("$host", update.Host), ("$pid", update.Pid));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc/>
    public async Task FinishUpdateAsync(string stack, long updateId, string result, string countsJson, DateTimeOffset ended, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "UPDATE updates SET result = $result, counts = $counts, ended = $ended WHERE stack = $stack AND id = $id",
            null, ("$stack", stack), ("$id", updateId), ("$result", result), ("$counts", countsJson), ("$ended", Timestamp(ended)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<UpdateRecord>> ListUpdatesAsync(string stack, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT id, kind, started, ended, result, counts, user_name, host, pid FROM updates WHERE stack = $stack ORDER BY id DESC",
            null, ("$stack", stack));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var updates = new List<UpdateRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            updates.Add(new UpdateRecord
            {
                Id = reader.GetInt64(0),
                Kind = reader.GetString(1),
                Started = ParseTimestamp(reader.GetString(2)),
                Ended = reader.IsDBNull(3) ? null : ParseTimestamp(reader.GetString(3)),
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
