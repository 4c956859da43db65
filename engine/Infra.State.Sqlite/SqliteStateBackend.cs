using System.Data.Common;
using System.Globalization;
using Infra.State.Sql;
using Microsoft.Data.Sqlite;

namespace Infra.State.Sqlite;

/// <summary>
/// The embedded default backend: one SQLite database, <c>.infra/state.db</c> in the project folder, in WAL mode.
/// Writes run in immediate transactions, so the lock check and the writes are one atomic unit against every other
/// writer.
/// </summary>
/// <remarks>
/// <para>
/// Commits use <c>synchronous=FULL</c>: the WAL is synced to disk before a commit returns, so a state write that was
/// reported done survives a power loss, not only the process being killed. (<c>NORMAL</c> syncs only at checkpoints:
/// a power loss could drop the newest commits, and with them resources that exist but that state forgot.) The
/// journal's group commit writes many resources per transaction, which keeps the cost of each sync low;
/// <c>bench/Infra.Bench --sqlite</c> prints both against each other.
/// </para>
/// <para>
/// Across stacks, the writes of concurrent operations in this process share commits too (<see cref="SqliteGroupCommit"/>):
/// those that arrive while one commit syncs run together, each in a savepoint, in the next.
/// </para>
/// </remarks>
public sealed class SqliteStateBackend : SqlStateBackend
{
    // Rollback: each update's settings and program version (rows from before have neither).
    private static readonly (string Column, string Definition)[] s_addedUpdateColumns = [("config", "TEXT"), ("program_version", "TEXT")];

    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly TimeSpan _busyTimeout;
    private readonly SqliteWriterGate _gate;
    private readonly SqliteSessions _sessions;
    private int _disposed;

    // Timestamps are ISO 8601 text in UTC; julianday() reads both these and the .NET round-trip form older rows have.
    // 'now' is the clock of the machine that holds the file, the only one that opens it.
    private static readonly SqlClock s_clock = new(
        Now: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        LeaseEnd: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', @lease || ' seconds')",
        LeaseEnded: "julianday(expires) < julianday('now')");

    private SqliteStateBackend(string path, bool fullSync, TimeSpan busyTimeout) : base(tablePrefix: string.Empty, rowLocks: false, s_clock)
    {
        Path = path;
        _synchronous = fullSync ? "FULL" : "NORMAL";
        _busyTimeout = busyTimeout;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The backend keeps its own open connections (SqliteSessions), with their settings and prepared statements.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();
        _gate = SqliteWriterGate.Join(path);
        _sessions = new SqliteSessions(ConnectAsync, _gate, busyTimeout);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override string DisplayUrl => "file://" + Path;

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/>.</summary>
    public static Task<SqliteStateBackend> OpenAsync(string path, CancellationToken cancellationToken) =>
        OpenAsync(path, fullSync: true, cancellationToken);

    /// <summary>Opens with <c>synchronous=FULL</c>, or <c>NORMAL</c> for the benchmark that measures what FULL costs.</summary>
    internal static Task<SqliteStateBackend> OpenAsync(string path, bool fullSync, CancellationToken cancellationToken) =>
        OpenAsync(path, fullSync, DefaultBusyTimeout, cancellationToken);

    /// <summary>How long a write waits for the database's write lock (and for its turn among this process's writers) before it fails.</summary>
    internal static TimeSpan DefaultBusyTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Opens with a shorter <paramref name="busyTimeout"/>, for the tests that wait for a write lock held elsewhere.</summary>
    internal static async Task<SqliteStateBackend> OpenAsync(string path, bool fullSync, TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var backend = new SqliteStateBackend(path, fullSync, busyTimeout);
        await using var connection = await backend.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = Schema;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await AddMissingColumnsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return backend;
    }

    // SQLite has no ADD COLUMN IF NOT EXISTS: databases made before a column existed get it here.
    private static async Task AddMissingColumnsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var columns = connection.CreateCommand())
        {
            columns.Transaction = transaction;
            columns.CommandText = "SELECT name FROM pragma_table_info('updates')";
            await using var reader = await columns.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var (column, definition) in s_addedUpdateColumns.Where(c => !existing.Contains(c.Column)))
        {
            await using var alter = connection.CreateCommand();
            alter.Transaction = transaction;
            alter.CommandText = $"ALTER TABLE updates ADD COLUMN {column} {definition}";
            await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How many physical connections the backend has opened since it was opened (its schema's excepted).</summary>
    internal int ConnectionsOpened => _sessions.Opened;

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _sessions.DisposeAsync().ConfigureAwait(false);
        // Once only: the gate counts the backends that joined it.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _gate.Leave();
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<SqlSession> OpenSessionAsync(CancellationToken cancellationToken) => _sessions.RentAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>The call joins the database's next group commit, in a transaction whether it asked for one or not.</remarks>
    protected override Task<T> RunWriteAsync<T>(SqlWrite<T> write, bool inTransaction, CancellationToken cancellationToken) =>
        _gate.Commits.RunAsync(this, write, cancellationToken);

    /// <summary>This process's group commit on the database, shared with every backend of the process on the same file.</summary>
    internal SqliteGroupCommit Commits => _gate.Commits;

    /// <summary>The connections' <c>PRAGMA synchronous</c>: a group commit holds only calls of backends that agree on it.</summary>
    internal string Synchronous => _synchronous;

    /// <summary>How long a write waits for the database's write lock, and for this process's turn to write.</summary>
    internal TimeSpan BusyTimeout => _busyTimeout;

    /// <summary>A session for a group commit, whose committer has taken the writer gate's turn itself.</summary>
    internal ValueTask<SqlSession> RentGroupSessionAsync() => _sessions.RentAsync(CancellationToken.None);

    /// <summary>Begins a group's transaction (<c>BEGIN IMMEDIATE</c>).</summary>
    /// <exception cref="InfraException">Another process held the database's write lock past the busy timeout.</exception>
    internal ValueTask<DbTransaction> BeginGroupWriteAsync(DbConnection connection) => BeginWriteAsync(connection, CancellationToken.None);


    /// <summary>A session lent as every call gets one, for tests that check what a reused connection holds.</summary>
    internal ValueTask<SqlSession> RentSessionAsync(CancellationToken cancellationToken) => OpenSessionAsync(cancellationToken);

    /// <summary>
    /// A session holding this process's turn to write, as a group commit holds it while it runs, for the tests that
    /// make this process's writers wait (every state write itself goes through <see cref="Commits"/>).
    /// </summary>
    internal ValueTask<SqlSession> RentWriteSessionAsync(CancellationToken cancellationToken) => _sessions.RentWriterAsync(cancellationToken);

    /// <inheritdoc/>
    protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            // BEGIN IMMEDIATE: the database's write lock is taken at once, not at the first write.
            return ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_BUSY)
        {
            // This process's writers take turns (SqliteWriterGate), so the lock is another process's.
            throw new InfraException(string.Create(CultureInfo.InvariantCulture,
                $"The state database '{Path}' is locked by another process: its write lock was not free within {_busyTimeout.TotalSeconds:0.#} s. ") +
                "Wait for that process's operation to end, then run the command again.", ex);
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // A deferred transaction reads one snapshot in WAL mode and blocks no writer.
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    /// <inheritdoc/>
    protected override object Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // A connection's settings last as long as it is open: SqliteSessions keeps it, so they run once per connection.
    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout={(long)_busyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON;");
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS stacks (
            name TEXT PRIMARY KEY,
            serial INTEGER NOT NULL DEFAULT 0,
            outputs TEXT NOT NULL DEFAULT '{}',
            created TEXT NOT NULL,
            updated TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS resources (
            stack TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
            urn TEXT NOT NULL,
            pending_delete INTEGER NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (stack, urn, pending_delete));
        CREATE TABLE IF NOT EXISTS pending (
            stack TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
            id TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (stack, id));
        CREATE TABLE IF NOT EXISTS locks (
            stack TEXT PRIMARY KEY,
            lock_id TEXT NOT NULL,
            owner TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            process_start TEXT,
            operation TEXT NOT NULL,
            acquired TEXT NOT NULL,
            expires TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS updates (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            stack TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            result TEXT NOT NULL,
            counts TEXT NOT NULL,
            user_name TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS updates_by_stack ON updates (stack, id);
        """;
}
