using System.Collections.Immutable;
using Microsoft.Data.Sqlite;

namespace Infra.State.Sqlite;

public sealed partial class SqliteStateBackend
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<StackSummary>> ListStacksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, """
            SELECT s.name, s.serial, (SELECT COUNT(*) FROM resources r WHERE r.stack = s.name AND r.pending_delete = 0), s.updated
            FROM stacks s ORDER BY s.name
            """);
        var result = new List<StackSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StackSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), ParseTimestamp(reader.GetString(3))));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<StackSummary?> GetStackAsync(string stack, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, """
            SELECT s.name, s.serial, (SELECT COUNT(*) FROM resources r WHERE r.stack = s.name AND r.pending_delete = 0), s.updated
            FROM stacks s WHERE s.name = $stack
            """, null, ("$stack", stack));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StackSummary(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), ParseTimestamp(reader.GetString(3)))
            : null;
    }

    /// <inheritdoc/>
    public async Task CreateStackAsync(string stack, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var now = Timestamp(DateTimeOffset.UtcNow);
        await using var command = Command(connection,
            "INSERT INTO stacks (name, serial, outputs, created, updated) VALUES ($stack, 0, '{}', $now, $now) ON CONFLICT (name) DO NOTHING",
            null, ("$stack", stack), ("$now", now));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new InfraException($"stack '{stack}' already exists in {DisplayUrl}; select it with 'infra stack select {stack}'.");
        }
    }

    /// <inheritdoc/>
    public async Task RemoveStackAsync(string stack, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var check = Command(connection, "SELECT owner, host, pid FROM locks WHERE stack = $stack", transaction, ("$stack", stack)))
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InfraException($"stack '{stack}' is locked by {reader.GetString(0)}@{reader.GetString(1)} (pid {reader.GetInt32(2)}); wait for it or run 'infra cancel'.");
            }
        }

        await using (var delete = Command(connection, "DELETE FROM stacks WHERE name = $stack", transaction, ("$stack", stack)))
        {
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
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction gives a consistent view of the three tables in WAL mode.
        await using var transaction = connection.BeginTransaction(deferred: true);
        long serial;
        string outputs;
        await using (var command = Command(connection, "SELECT serial, outputs FROM stacks WHERE name = $stack", transaction, ("$stack", stack)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InfraException($"stack '{stack}' does not exist in {DisplayUrl}; create it with 'infra stack init {stack}'.");
            }

            serial = reader.GetInt64(0);
            outputs = reader.GetString(1);
        }

        var resources = await ReadColumnAsync(connection, transaction, "SELECT json FROM resources WHERE stack = $stack ORDER BY urn, pending_delete", stack, cancellationToken).ConfigureAwait(false);
        var pending = await ReadColumnAsync(connection, transaction, "SELECT json FROM pending WHERE stack = $stack ORDER BY id", stack, cancellationToken).ConfigureAwait(false);
        return new StoredSnapshot(serial, outputs, resources, pending);
    }

    private static async Task<ImmutableArray<string>> ReadColumnAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, string stack, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, transaction, ("$stack", stack));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = ImmutableArray.CreateBuilder<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(reader.GetString(0));
        }

        return rows.ToImmutable();
    }
}
