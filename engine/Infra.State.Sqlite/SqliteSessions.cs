using Infra.State.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Infra.State.Sqlite;

/// <summary>
/// The SQLite backend's open connections, kept between calls with the commands prepared on them. A connection gets
/// its settings (<c>PRAGMA</c>s) once, when it is opened, and each statement is parsed once per connection, where
/// the driver's own pool would run the settings again at every open and parse every statement at every use.
/// </summary>
/// <remarks>
/// A session goes back to the pool only if its connection is open and outside any transaction (a call that failed
/// half-way through a transaction has rolled it back when the transaction was disposed, but a connection still in
/// one is closed, never lent again). The pool keeps at most <see cref="MaxIdle"/> idle connections. A session that
/// writes is lent only once the database's <see cref="SqliteWriterGate"/> gives this call its turn, and gives the turn
/// back after the connection is back (or closed), so the next writer finds SQLite's write lock free.
/// </remarks>
/// <param name="connect">Opens a new connection with its settings.</param>
/// <param name="writerGate">The database's writer gate, shared by the process's backends on the same file.</param>
/// <param name="busyTimeout">How long a writer waits for its turn, as SQLite waits for a lock held by another process.</param>
internal sealed class SqliteSessions(Func<CancellationToken, Task<SqliteConnection>> connect, SqliteWriterGate writerGate, TimeSpan busyTimeout) : IAsyncDisposable
{
    /// <summary>Idle connections kept: more than the engine's concurrent calls on one backend, far fewer than a file descriptor limit.</summary>
    public const int MaxIdle = 16;

    private readonly Lock _sync = new();
    private readonly Stack<SqlSession> _idle = new();
    // The one session of this pool that holds the writer gate's turn, if any: the gate lets one writer of the process in at a time.
    private SqlSession? _writer;
    private bool _closed;

    /// <summary>How many physical connections this pool has opened.</summary>
    public int Opened { get; private set; }

    /// <summary>An idle session, or one on a newly opened connection.</summary>
    public async ValueTask<SqlSession> RentAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }

            Opened++;
        }

        return new SqlSession(await connect(cancellationToken).ConfigureAwait(false), ReturnAsync);
    }

    /// <summary>A session for a call that writes, lent once the writer gate gives this call its turn.</summary>
    /// <exception cref="InfraException">No turn came within the busy timeout.</exception>
    public async ValueTask<SqlSession> RentWriterAsync(CancellationToken cancellationToken)
    {
        await writerGate.EnterAsync(busyTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var session = await RentAsync(cancellationToken).ConfigureAwait(false);
            lock (_sync)
            {
                _writer = session;
            }

            return session;
        }
        catch
        {
            writerGate.Exit();
            throw;
        }
    }

    /// <summary>Closes every idle connection; sessions still lent are closed when they come back.</summary>
    public async ValueTask DisposeAsync()
    {
        SqlSession[] idle;
        lock (_sync)
        {
            _closed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var session in idle)
        {
            await session.CloseAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask ReturnAsync(SqlSession session)
    {
        var connection = (SqliteConnection)session.Connection;
        var reusable = connection.State == System.Data.ConnectionState.Open && raw.sqlite3_get_autocommit(connection.Handle) != 0;
        bool kept, wrote;
        lock (_sync)
        {
            kept = reusable && !_closed && _idle.Count < MaxIdle;
            if (kept)
            {
                _idle.Push(session);
            }

            wrote = ReferenceEquals(_writer, session);
            if (wrote)
            {
                _writer = null;
            }
        }

        try
        {
            if (!kept)
            {
                // Closing a connection still in a transaction rolls it back and frees SQLite's lock before the next writer's turn.
                await session.CloseAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (wrote)
            {
                writerGate.Exit();
            }
        }
    }
}
