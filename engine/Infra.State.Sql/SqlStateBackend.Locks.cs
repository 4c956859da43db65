using System.Data.Common;

namespace Infra.State.Sql;

public abstract partial class SqlStateBackend
{
    /// <inheritdoc/>
    public async Task<LockAttempt> TryAcquireLockAsync(string stack, LockInfo candidate, TimeSpan lease, Func<LockInfo, bool> isStale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(isStale);
        return await RunWriteAsync(async (session, transaction, ct) =>
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                // Insert-if-absent: exactly one of any number of concurrent callers inserts the row.
                var insert = session.Command(transaction, _sql.InsertLock, LockParameters(stack, candidate, lease));
                if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                {
                    return new LockAttempt(true, null);
                }

                var holder = await ReadLockAsync(session, transaction, _sql.LockRow, stack, ct).ConfigureAwait(false);
                if (holder is null)
                {
                    continue;
                }

                if (!isStale(holder))
                {
                    return new LockAttempt(false, holder);
                }

                // Update-if-unchanged: the takeover succeeds only if the stale holder is still the one recorded.
                var takeOver = session.Command(transaction, _sql.TakeOverLock, [.. LockParameters(stack, candidate, lease), ("@old", holder.LockId)]);
                if (await takeOver.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                {
                    return new LockAttempt(true, holder);
                }
            }

            return new LockAttempt(false, await ReadLockAsync(session, transaction, _sql.LockRow, stack, ct).ConfigureAwait(false));
        }, inTransaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> RenewLockAsync(string stack, string lockId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var renewed = await RunWriteAsync((session, transaction, ct) =>
            session.Command(transaction, _sql.RenewLock, ("@stack", stack), ("@id", lockId), ("@lease", lease.TotalSeconds)).ExecuteNonQueryAsync(ct),
            inTransaction: false, cancellationToken).ConfigureAwait(false);
        return renewed == 1;
    }

    /// <inheritdoc/>
    public async Task ReleaseLockAsync(string stack, string lockId, CancellationToken cancellationToken)
    {
        await RunWriteAsync((session, transaction, ct) =>
            session.Command(transaction, _sql.ReleaseLock, ("@stack", stack), ("@id", lockId)).ExecuteNonQueryAsync(ct),
            inTransaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<LockInfo?> GetLockAsync(string stack, CancellationToken cancellationToken)
    {
        await using var session = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLockAsync(session, null, _sql.LockRow, stack, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<LockInfo?> ForceReleaseLockAsync(string stack, CancellationToken cancellationToken)
    {
        return await RunWriteAsync(async (session, transaction, ct) =>
        {
            var holder = await ReadLockAsync(session, transaction, _sql.LockRow, stack, ct).ConfigureAwait(false);
            if (holder is null)
            {
                return null;
            }

            // Only the holder just read: one that took over meanwhile keeps its lock.
            var command = session.Command(transaction, _sql.ReleaseLock, ("@stack", stack), ("@id", holder.LockId));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1 ? holder : null;
        }, inTransaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lock row of <paramref name="stack"/>, read with <paramref name="sql"/> (a plain or a locking select).</summary>
    private async Task<LockInfo?> ReadLockAsync(SqlSession session, DbTransaction? transaction, string sql, string stack, CancellationToken cancellationToken)
    {
        var command = session.Command(transaction, sql, ("@stack", stack));
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
            Acquired = ReadTimestamp(reader, 6),
            Expires = ReadTimestamp(reader, 7),
            LeaseExpired = reader.GetBoolean(8),
        };
    }

    private static (string, object?)[] LockParameters(string stack, LockInfo info, TimeSpan lease) =>
    [
        ("@stack", stack), ("@id", info.LockId), ("@owner", info.Owner), ("@host", info.Host), ("@pid", info.Pid),
        ("@start", info.ProcessStart), ("@op", info.Operation), ("@lease", lease.TotalSeconds),
    ];
}
