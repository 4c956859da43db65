using System.Data.Common;

namespace Infra.State.Sql;

/// <summary>
/// A state backend on a SQL database, over ADO.NET: the tables <c>stacks</c>, <c>resources</c>, <c>pending</c>,
/// <c>locks</c> and <c>updates</c>, and every statement on them, are the same for each driver. A driver's backend
/// supplies connections, transactions, timestamps and its schema (<c>CREATE TABLE</c> differs in types only).
/// </summary>
/// <remarks>
/// Locks are conditional writes (insert-if-absent, update-if-unchanged). Every state write first checks, inside its
/// transaction, that the writer still holds the stack's lock; where the database locks rows
/// (<paramref name="rowLocks"/>) the lock row is held <c>FOR SHARE</c> until commit, so a takeover cannot interleave.
/// </remarks>
/// <param name="tablePrefix">What precedes each table name, e.g. a quoted schema and a dot; empty for none.</param>
/// <param name="rowLocks">Whether the database supports <c>FOR SHARE</c> and <c>FOR UPDATE</c> on selected rows.</param>
/// <param name="clock">How the database tells the time: lock leases are set and judged by it.</param>
public abstract partial class SqlStateBackend(string tablePrefix, bool rowLocks, SqlClock clock) : IStateBackend
{
    private readonly SqlStatements _sql = new(tablePrefix, rowLocks, clock);

    /// <inheritdoc/>
    public abstract string DisplayUrl { get; }

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// A session for one call, on a connection ready for use: a driver that pools connections and prepares statements
    /// itself gives a newly opened one, closed with the session; a backend that keeps its own connections open lends
    /// one of them, with the commands prepared on it.
    /// </summary>
    protected abstract ValueTask<SqlSession> OpenSessionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A session for one call that writes (in a transaction or in one statement). By default the same as
    /// <see cref="OpenSessionAsync"/>; a backend whose database lets one writer in at a time may first queue the call
    /// behind this process's other writers, so that each finds the database's write lock free.
    /// </summary>
    protected virtual ValueTask<SqlSession> OpenWriteSessionAsync(CancellationToken cancellationToken) => OpenSessionAsync(cancellationToken);

    /// <summary>
    /// Runs one call's writes and returns once they are committed. By default the call gets a write session of its own
    /// and, when <paramref name="inTransaction"/>, a write transaction that commits after it; without one, each of its
    /// statements commits by itself. A backend whose database syncs every commit to disk may instead run several
    /// concurrent calls in one transaction, each in a savepoint, so that they share one commit and one sync.
    /// </summary>
    /// <param name="write">The call's statements; it must pass the transaction it is given to every command.</param>
    /// <param name="inTransaction">Whether the call's statements must land together or not at all.</param>
    /// <param name="cancellationToken">Cancels the call while it waits or runs; a commit that has begun is not cancelled.</param>
    protected virtual async Task<T> RunWriteAsync<T>(SqlWrite<T> write, bool inTransaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await using var session = await OpenWriteSessionAsync(cancellationToken).ConfigureAwait(false);
        if (!inTransaction)
        {
            return await write(session, null, cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = await BeginWriteAsync(session.Connection, cancellationToken).ConfigureAwait(false);
        var result = await write(session, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Begins a transaction that writes: it must exclude every other writer of the same rows until it ends.</summary>
    protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a transaction that reads several tables at one point in time.</summary>
    protected abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A timestamp as the database stores it.</summary>
    protected abstract object Timestamp(DateTimeOffset value);

    /// <summary>Reads a timestamp stored by <see cref="Timestamp"/>.</summary>
    protected abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);
}
