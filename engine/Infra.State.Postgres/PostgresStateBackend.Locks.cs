using Npgsql;

namespace Infra.State.Postgres;

public sealed partial class PostgresStateBackend
{
    /// <inheritdoc/>
    public async Task<LockAttempt> TryAcquireLockAsync(string stack, LockInfo candidate, Func<LockInfo, bool> isStale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(isStale);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            // Insert-if-absent: exactly one of any number of concurrent callers inserts the row.
            await using (var insert = _dataSource.CreateCommand(Sql("""
                INSERT INTO {schema}.locks (stack, lock_id, owner, host, pid, process_start, operation, acquired, expires)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (stack) DO NOTHING
                """)))
            {
                AddLockParameters(insert, stack, candidate);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return new LockAttempt(true, null);
                }
            }

            var holder = await GetLockAsync(stack, cancellationToken).ConfigureAwait(false);
            if (holder is null)
            {
                continue;
            }

            if (!isStale(holder))
            {
                return new LockAttempt(false, holder);
            }

            // Update-if-unchanged: only succeeds if the stale holder is still the one recorded.
            await using var takeOver = _dataSource.CreateCommand(Sql("""
                UPDATE {schema}.locks SET lock_id = $2, owner = $3, host = $4, pid = $5, process_start = $6, operation = $7,
                    acquired = $8, expires = $9
                WHERE stack = $1 AND lock_id = $10
                """));
            AddLockParameters(takeOver, stack, candidate);
            takeOver.Parameters.AddWithValue(holder.LockId);
            if (await takeOver.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return new LockAttempt(true, holder);
            }
        }

        return new LockAttempt(false, await GetLockAsync(stack, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public async Task<bool> RenewLockAsync(string stack, string lockId, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql("UPDATE {schema}.locks SET expires = $3 WHERE stack = $1 AND lock_id = $2"));
        command.Parameters.AddWithValue(stack);
        command.Parameters.AddWithValue(lockId);
        command.Parameters.AddWithValue(expires.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public async Task ReleaseLockAsync(string stack, string lockId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql("DELETE FROM {schema}.locks WHERE stack = $1 AND lock_id = $2"));
        command.Parameters.AddWithValue(stack);
        command.Parameters.AddWithValue(lockId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<LockInfo?> GetLockAsync(string stack, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Sql(
            "SELECT lock_id, owner, host, pid, process_start, operation, acquired, expires FROM {schema}.locks WHERE stack = $1"));
        command.Parameters.AddWithValue(stack);
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
            Acquired = reader.GetFieldValue<DateTimeOffset>(6),
            Expires = reader.GetFieldValue<DateTimeOffset>(7),
        };
    }

    /// <inheritdoc/>
    public async Task<LockInfo?> ForceReleaseLockAsync(string stack, CancellationToken cancellationToken)
    {
        var holder = await GetLockAsync(stack, cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            return null;
        }

        await using var command = _dataSource.CreateCommand(Sql("DELETE FROM {schema}.locks WHERE stack = $1 AND lock_id = $2"));
        command.Parameters.AddWithValue(stack);
        command.Parameters.AddWithValue(holder.LockId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1 ? holder : null;
    }

    private static void AddLockParameters(NpgsqlCommand command, string stack, LockInfo info)
    {
        command.Parameters.AddWithValue(stack);
        command.Parameters.AddWithValue(info.LockId);
        command.Parameters.AddWithValue(info.Owner);
        command.Parameters.AddWithValue(info.Host);
        command.Parameters.AddWithValue(info.Pid);
        command.Parameters.AddWithValue((object?)info.ProcessStart ?? DBNull.Value);
        command.Parameters.AddWithValue(info.Operation);
        command.Parameters.AddWithValue(info.Acquired.ToUniversalTime());
        command.Parameters.AddWithValue(info.Expires.ToUniversalTime());
    }
}
