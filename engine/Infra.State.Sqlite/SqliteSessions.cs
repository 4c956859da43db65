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
/// one is closed, never lent again). The pool keeps at most <see cref="MaxIdle"/> idle connections.
/// </remarks>
internal sealed class SqliteSessions(Func<CancellationToken, Task<SqliteConnection>> connect) : IAsyncDisposable
{
    /// <summary>Idle connections kept: more than the engine's concurrent calls on one backend, far fewer than a file descriptor limit.</summary>
    public const int MaxIdle = 16;

    private readonly Lock _gate = new();
    private readonly Stack<SqlSession> _idle = new();
    private bool _closed;

    /// <summary>How many physical connections this pool has opened.</summary>
    public int Opened { get; private set; }

    /// <summary>An idle session, or one on a newly opened connection.</summary>
    public async ValueTask<SqlSession> RentAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
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

    /// <summary>Closes every idle connection; sessions still lent are closed when they come back.</summary>
    public async ValueTask DisposeAsync()
    {
        SqlSession[] idle;
        lock (_gate)
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

    private ValueTask ReturnAsync(SqlSession session)
    {
        var connection = (SqliteConnection)session.Connection;
        var reusable = connection.State == System.Data.ConnectionState.Open && raw.sqlite3_get_autocommit(connection.Handle) != 0;
        lock (_gate)
        {
            if (reusable && !_closed && _idle.Count < MaxIdle)
            {
                _idle.Push(session);
                return ValueTask.CompletedTask;
            }
        }

        return session.CloseAsync();
    }
}
