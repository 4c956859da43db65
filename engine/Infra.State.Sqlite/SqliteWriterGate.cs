using System.Globalization;

namespace Infra.State.Sqlite;

/// <summary>
/// The turn to write to one SQLite database, shared by every backend of this process that has the file open: writers
/// of the process take it, in the order they ask, before they begin a write, so the database's write lock passes
/// from one to the next as soon as it is free.
/// </summary>
/// <remarks>
/// Without it, concurrent writers of one process met only at SQLite's own lock, and SQLite's busy handler waits for
/// a held lock by sleeping with a growing back-off (1, 2, 5, 10, 15, 20, 25... ms) on the calling thread: a writer
/// often slept on for many milliseconds after the lock was free, holding a thread-pool thread, while the lock's
/// holder itself only waited for its <c>fsync</c>. With 8 tenant ups of one process on one state file, that sleeping
/// left cores idle. The busy handler stays, with the same timeout, for writers in other processes. The registry is
/// process-wide on purpose, as the file's lock is: two backends on the same file in one process share one gate.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore is only awaited (WaitAsync), so it never makes the wait handle that disposing would free.")]
internal sealed class SqliteWriterGate
{
    private static readonly Dictionary<string, SqliteWriterGate> s_open = new(StringComparer.Ordinal);

    // SemaphoreSlim hands a released turn to its asynchronous waiters in the order they queued (its waiters are a
    // linked list served from the head), and a newcomer cannot take a turn while others wait: first come, first served.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly string _path;
    private int _users;

    private SqliteWriterGate(string path)
    {
        _path = path;
        Commits = new SqliteGroupCommit(this);
    }

    /// <summary>The database's group commit: state writes of every backend of this process on the file go through it.</summary>
    public SqliteGroupCommit Commits { get; }

    /// <summary>The gate of the database at <paramref name="path"/>; give it back with <see cref="Leave"/> when the backend closes.</summary>
    public static SqliteWriterGate Join(string path)
    {
        var key = Path.GetFullPath(path);
        lock (s_open)
        {
            if (!s_open.TryGetValue(key, out var gate))
            {
                gate = new SqliteWriterGate(key);
                s_open[key] = gate;
            }

            gate._users++;
            return gate;
        }
    }

    /// <summary>Says that one backend that joined this gate has closed; the last one to leave forgets the gate.</summary>
    public void Leave()
    {
        lock (s_open)
        {
            if (--_users == 0)
            {
                s_open.Remove(_path);
            }
        }
    }

    /// <summary>Waits for this process's turn to write, at most <paramref name="timeout"/>; call <see cref="Exit"/> once done.</summary>
    /// <exception cref="InfraException">No turn came within <paramref name="timeout"/>.</exception>
    public async ValueTask EnterAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await _turn.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new InfraException(string.Create(CultureInfo.InvariantCulture,
                $"The state database '{_path}' stayed busy for {timeout.TotalSeconds:0.#} s: this process's earlier writes to it did not finish ") +
                "(another process may hold its write lock). Wait for the other operation to end, then run the command again.");
        }
    }

    /// <summary>Passes the turn to the next writer in line.</summary>
    public void Exit() => _turn.Release();
}
