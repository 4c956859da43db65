using Microsoft.Data.Sqlite;

namespace Infra.State.Sqlite;

public sealed partial class SqliteStateBackend
{
    /// <inheritdoc/>
    public async Task<LockAttempt> TryAcquireLockAsync(string stack, LockInfo candidate, Func<LockInfo, bool> isStale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(isStale);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            // Insert-if-absent: exactly one of any number of concurrent callers gets a row count of 1.
            await using (var insert = Command(connection, """
                INSERT INTO locks (stack, lock_id, owner, host, pid, process_start, operation, acquired, expires)
                VALUES ($stack, $id, $owner, $host, $pid, $start, $op, $acquired, $expires)
                ON CONFLICT (stack) DO NOTHING
                """, null, LockParameters(stack, candidate)))
            {
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return new LockAttempt(true, null);
                }
            }

            var holder = await ReadLockAsync(connection, stack, cancellationToken).ConfigureAwait(false);
            if (holder is null)
            {
                continue;
            }

            if (!isStale(holder))
            {
                return new LockAttempt(false, holder);
            }

            // Update-if-unchanged: the takeover succeeds only if the stale holder is still the one recorded.
            var parameters = LockParameters(stack, candidate).Append(("$old", holder.LockId)).ToArray();
            await using var takeOver = Command(connection, """
                UPDATE locks SET lock_id = $id, owner = $owner, host = $host, pid = $pid, process_start = $start,
                    operation = $op, acquired = $acquired, expires = $expires
                WHERE stack = $stack AND lock_id = $old
                """, null, parameters);
            if (await takeOver.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return new LockAttempt(true, holder);
            }
        }

        var current = await ReadLockAsync(connection, stack, cancellationToken).ConfigureAwait(false);
        return new LockAttempt(false, current);
    }

    /// <inheritdoc/>
    public async Task<bool> RenewLockAsync(string stack, string lockId, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "UPDATE locks SET expires = $expires WHERE stack = $stack AND lock_id = $id",
            null, ("$stack", stack), ("$id", lockId), ("$expires", Timestamp(expires)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public async Task ReleaseLockAsync(string stack, string lockId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "DELETE FROM locks WHERE stack = $stack AND lock_id = $id",
            null, ("$stack", stack), ("$id", lockId));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<LockInfo?> GetLockAsync(string stack, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLockAsync(connection, stack, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<LockInfo?> ForceReleaseLockAsync(string stack, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var holder = await ReadLockAsync(connection, stack, cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            return null;
        }

        await using var command = Command(connection, "DELETE FROM locks WHERE stack = $stack AND lock_id = $id",
            null, ("$stack", stack), ("$id", holder.LockId));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? holder : null;
    }

    private static async Task<LockInfo?> ReadLockAsync(SqliteConnection connection, string stack, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = Command(connection,
            "SELECT lock_id, owner, host, pid, process_start, operation, acquired, expires FROM locks WHERE stack = $stack",
            transaction, ("$stack", stack));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new LockInfo
        {
            LockId = reader.GetString(0),
            Owner = reader.GetString(1),
            Host = reader.GetString(2),
            Pid = reader.GetInt32(3),
            ProcessStart = reader.IsDBNull(4) ? null : reader.GetString(4),
            Operation = reader.GetString(5),
            Acquired = ParseTimestamp(reader.GetString(6)),
            Expires = ParseTimestamp(reader.GetString(7)),
        };
    }

    private static (string, object?)[] LockParameters(string stack, LockInfo info) =>
    [
        ("$stack", stack), ("$id", info.LockId), ("$owner", info.Owner), ("$host", info.Host), ("$pid", info.Pid),
        ("$start", info.ProcessStart), ("$op", info.Operation), ("$acquired", Timestamp(info.Acquired)), ("$expires", Timestamp(info.Expires)),
    ];
}
