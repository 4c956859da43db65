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

    /// <summary>Begins a transaction that writes: it must exclude every other writer of the same rows until it ends.</summary>
    protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Begins a transaction that reads several tables at one point in time.</summary>
    protected abstract ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>A timestamp as the database stores it.</summary>
    protected abstract object Timestamp(DateTimeOffset value);

    /// <summary>Reads a timestamp stored by <see cref="Timestamp"/>.</summary>
    protected abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);
}
