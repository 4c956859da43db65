using System.Collections.Immutable;
using System.Data.Common;
using Infra.Locks;

namespace Infra.State.Sql;

public abstract partial class SqlStateBackend
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<StackSummary>> ListStacksAsync(CancellationToken cancellationToken)
    {
        await using var session = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var command = session.Command(null, _sql.AllStackSummaries);
        return await ReadSummariesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StackSummary?> GetStackAsync(string stack, CancellationToken cancellationToken)
    {
        await using var session = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var command = session.Command(null, _sql.StackSummary, ("@stack", stack));
        var summaries = await ReadSummariesAsync(command, cancellationToken).ConfigureAwait(false);
        return summaries.Count > 0 ? summaries[0] : null;
    }

    /// <inheritdoc/>
    public async Task CreateStackAsync(string stack, CancellationToken cancellationToken)
    {
        var created = await RunWriteAsync((session, transaction, ct) =>
            session.Command(transaction, _sql.CreateStack, ("@stack", stack), ("@now", Timestamp(DateTimeOffset.UtcNow))).ExecuteNonQueryAsync(ct),
            inTransaction: false, cancellationToken).ConfigureAwait(false);
        if (created == 0)
        {
            throw new StackExistsException(stack, DisplayUrl);
        }
    }

    /// <inheritdoc/>
    public async Task RemoveStackAsync(string stack, CancellationToken cancellationToken)
    {
        await RunWriteAsync(async (session, transaction, ct) =>
        {
            if (await ReadLockAsync(session, transaction, _sql.LockRowForUpdate, stack, ct).ConfigureAwait(false) is { } holder)
            {
                throw new StackLockedException(stack, holder);
            }

            var delete = session.Command(transaction, _sql.DeleteStack, ("@stack", stack));
            if (await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
            {
                throw new StackNotFoundException(stack, DisplayUrl);
            }

            return true;
        }, inTransaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoredSnapshot> LoadAsync(string stack, CancellationToken cancellationToken)
    {
        await using var session = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: the three tables at one point in time.
        await using var transaction = await BeginReadAsync(session.Connection, cancellationToken).ConfigureAwait(false);
        long serial;
        string outputs;
        var command = session.Command(transaction, _sql.StackRow, ("@stack", stack));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new StackNotFoundException(stack, DisplayUrl);
            }

            serial = reader.GetInt64(0);
            outputs = reader.GetString(1);
        }

        var resources = await ReadColumnAsync(session, transaction, _sql.ResourceRows, stack, cancellationToken).ConfigureAwait(false);
        var pending = await ReadColumnAsync(session, transaction, _sql.PendingRows, stack, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoredSnapshot(serial, outputs, resources, pending);
    }

    private async Task<IReadOnlyList<StackSummary>> ReadSummariesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var result = new List<StackSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StackSummary(reader.GetString(0), reader.GetInt64(1), checked((int)reader.GetInt64(2)), ReadTimestamp(reader, 3)));
        }

        return result;
    }

    private static async Task<ImmutableArray<string>> ReadColumnAsync(
        SqlSession session, DbTransaction transaction, string sql, string stack, CancellationToken cancellationToken)
    {
        var command = session.Command(transaction, sql, ("@stack", stack));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = ImmutableArray.CreateBuilder<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(reader.GetString(0));
        }

        return rows.ToImmutable();
    }
}
