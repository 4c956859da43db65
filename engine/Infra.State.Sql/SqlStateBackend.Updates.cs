namespace Infra.State.Sql;

public abstract partial class SqlStateBackend
{
    /// <inheritdoc/>
    public async Task<long> StartUpdateAsync(string stack, UpdateRecord update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return await RunWriteAsync(async (session, transaction, ct) =>
        {
            var command = session.Command(transaction, _sql.StartUpdate,
                ("@stack", stack), ("@kind", update.Kind), ("@started", Timestamp(update.Started)), ("@result", update.Result),
                ("@counts", update.CountsJson), ("@user", update.User), ("@host", update.Host), ("@pid", update.Pid),
                ("@config", update.Config), ("@program", update.ProgramVersion));
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }, inTransaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task FinishUpdateAsync(string stack, long updateId, string result, string countsJson, DateTimeOffset ended, CancellationToken cancellationToken)
    {
        await RunWriteAsync((session, transaction, ct) =>
        {
            var command = session.Command(transaction, _sql.FinishUpdate,
                ("@stack", stack), ("@id", updateId), ("@result", result), ("@counts", countsJson), ("@ended", Timestamp(ended)));
            return command.ExecuteNonQueryAsync(ct);
        }, inTransaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<UpdateRecord>> ListUpdatesAsync(string stack, CancellationToken cancellationToken)
    {
        await using var session = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var command = session.Command(null, _sql.ListUpdates, ("@stack", stack));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var updates = new List<UpdateRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            updates.Add(new UpdateRecord
            {
                Id = reader.GetInt64(0),
                Kind = reader.GetString(1),
                Started = ReadTimestamp(reader, 2),
                Ended = reader.IsDBNull(3) ? null : ReadTimestamp(reader, 3),
                Result = reader.GetString(4),
                CountsJson = reader.GetString(5),
                User = reader.GetString(6),
                Host = reader.GetString(7),
                Pid = reader.GetInt32(8),
                Config = reader.IsDBNull(9) ? null : reader.GetString(9),
                ProgramVersion = reader.IsDBNull(10) ? null : reader.GetString(10),
            });
        }

        return updates;
    }
}
