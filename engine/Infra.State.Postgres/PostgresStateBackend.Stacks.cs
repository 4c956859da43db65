using Npgsql;

namespace Infra.State.Postgres;

public sealed partial class PostgresStateBackend
{
    private const string SummarySelect = """
        SELECT s.name, s.serial, (SELECT COUNT(*) FROM {schema}.resources r WHERE r.stack = s.name AND NOT r.pending_delete)::int, s.updated
        FROM {schema}.stacks s
        """;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StackSummary>> ListStacksAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql(SummarySelect + " ORDER BY s.name"));
        return await ReadSummariesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StackSummary?> GetStackAsync(string stack, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql(SummarySelect + " WHERE s.name = $1"));
        command.Parameters.AddWithValue(stack);
        var summaries = await ReadSummariesAsync(command, cancellationToken).ConfigureAwait(false);
        return summaries.Count > 0 ? summaries[0] : null;
    }

    /// <inheritdoc/>
    public async Task CreateStackAsync(string stack, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql(
            "INSERT INTO {schema}.stacks (name, serial, outputs, created, updated) VALUES ($1, 0, '{}', now(), now()) ON CONFLICT (name) DO NOTHING"));
        command.Parameters.AddWithValue(stack);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InfraException($"stack '{stack}' already exists in {DisplayUrl}; select it with 'infra stack select {stack}'.");
        }
    }

    /// <inheritdoc/>
    public async Task RemoveStackAsync(string stack, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var check = new NpgsqlCommand(Sql("SELECT owner, host, pid FROM {schema}.locks WHERE stack = $1 FOR UPDATE"), connection, transaction))
        {
            check.Parameters.AddWithValue(stack);
            await using var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InfraException($"stack '{stack}' is locked by {reader.GetString(0)}@{reader.GetString(1)} (pid {reader.GetInt32(2)}); wait for it or run 'infra cancel'.");
            }
        }

        await using (var delete = new NpgsqlCommand(Sql("DELETE FROM {schema}.stacks WHERE name = $1"), connection, transaction))
        {
            delete.Parameters.AddWithValue(stack);
            if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new InfraException($"stack '{stack}' does not exist in {DisplayUrl}.");
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoredSnapshot> LoadAsync(string stack, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Repeatable read: the three tables are read at one point in time.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        long serial;
        string outputs;
        await using (var command = new NpgsqlCommand(Sql("SELECT serial, outputs FROM {schema}.stacks WHERE name = $1"), connection, transaction))
        {
            command.Parameters.AddWithValue(stack);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InfraException($"stack '{stack}' does not exist in {DisplayUrl}; create it with 'infra stack init {stack}'.");
            }

            serial = reader.GetInt64(0);
            outputs = reader.GetString(1);
        }

        await using var resourcesCommand = new NpgsqlCommand(Sql("SELECT json FROM {schema}.resources WHERE stack = $1 ORDER BY urn, pending_delete"), connection, transaction);
        resourcesCommand.Parameters.AddWithValue(stack);
        var resources = await ReadColumnAsync(resourcesCommand, cancellationToken).ConfigureAwait(false);
        await using var pendingCommand = new NpgsqlCommand(Sql("SELECT json FROM {schema}.pending WHERE stack = $1 ORDER BY id"), connection, transaction);
        pendingCommand.Parameters.AddWithValue(stack);
        var pending = await ReadColumnAsync(pendingCommand, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoredSnapshot(serial, outputs, resources, pending);
    }

    private static async Task<IReadOnlyList<StackSummary>> ReadSummariesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<StackSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StackSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return result;
    }
}
