using System.Data;
using System.Data.Common;
using Infra.State.Sql;
using Npgsql;

namespace Infra.State.Postgres;

/// <summary>
/// The team backend: state in PostgreSQL (<c>postgres://user:password@host:port/database?schema=infra</c>).
/// State writes hold the lock row <c>FOR SHARE</c> inside their transaction, so a takeover cannot interleave with a
/// write, and each write batch is one round trip.
/// </summary>
public sealed class PostgresStateBackend : SqlStateBackend
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;

    // The server's clock sets and judges every lease: clients' clocks may disagree with each other.
    private static readonly SqlClock s_clock = new(
        Now: "now()",
        LeaseEnd: "now() + @lease * interval '1 second'",
        LeaseEnded: "expires < now()");

    private PostgresStateBackend(NpgsqlDataSource dataSource, string schema, string displayUrl)
        : base(tablePrefix: Quote(schema) + ".", rowLocks: true, s_clock)
    {
        _dataSource = dataSource;
        _schema = schema;
        DisplayUrl = displayUrl;
    }

    /// <inheritdoc/>
    public override string DisplayUrl { get; }

    /// <summary>Opens the backend at <paramref name="url"/>, creating its tables if needed.</summary>
    /// <exception cref="InfraException">The URL is malformed or the server cannot be reached.</exception>
    public static async Task<PostgresStateBackend> OpenAsync(string url, CancellationToken cancellationToken)
    {
        var (connectionString, schema, display) = PostgresUrl.Parse(url);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var backend = new PostgresStateBackend(dataSource, schema, display);
        try
        {
            await backend.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new InfraException($"state backend {display}: {ex.Message}", ex);
        }

        return backend;
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc/>
    protected override async ValueTask<SqlSession> OpenSessionAsync(CancellationToken cancellationToken) =>
        new(await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false));

    /// <inheritdoc/>
    protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Read committed: writers exclude each other through the rows they lock (the stack's lock row).
        connection.BeginTransactionAsync(cancellationToken);

    /// <inheritdoc/>
    protected override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Repeatable read: the three tables are read at one point in time.
        connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    /// <inheritdoc/>
    protected override object Timestamp(DateTimeOffset value) => value.ToUniversalTime();

    /// <inheritdoc/>
    protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Serialize schema creation: concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalogs.
        await using (var advisory = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7243108)", connection, transaction))
        {
            await advisory.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(Schema.Replace("{schema}", Quote(_schema), StringComparison.Ordinal), connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private const string Schema = """
        CREATE SCHEMA IF NOT EXISTS {schema};
        CREATE TABLE IF NOT EXISTS {schema}.stacks (
            name TEXT PRIMARY KEY,
            serial BIGINT NOT NULL DEFAULT 0,
            outputs TEXT NOT NULL DEFAULT '{}',
            created TIMESTAMPTZ NOT NULL,
            updated TIMESTAMPTZ NOT NULL);
        CREATE TABLE IF NOT EXISTS {schema}.resources (
            stack TEXT NOT NULL REFERENCES {schema}.stacks(name) ON DELETE CASCADE,
            urn TEXT NOT NULL,
            pending_delete BOOLEAN NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (stack, urn, pending_delete));
        CREATE TABLE IF NOT EXISTS {schema}.pending (
            stack TEXT NOT NULL REFERENCES {schema}.stacks(name) ON DELETE CASCADE,
            id TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (stack, id));
        CREATE TABLE IF NOT EXISTS {schema}.locks (
            stack TEXT PRIMARY KEY,
            lock_id TEXT NOT NULL,
            owner TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            process_start TEXT,
            operation TEXT NOT NULL,
            acquired TIMESTAMPTZ NOT NULL,
            expires TIMESTAMPTZ NOT NULL);
        CREATE TABLE IF NOT EXISTS {schema}.updates (
            id BIGSERIAL PRIMARY KEY,
            stack TEXT NOT NULL REFERENCES {schema}.stacks(name) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            started TIMESTAMPTZ NOT NULL,
            ended TIMESTAMPTZ,
            result TEXT NOT NULL,
            counts TEXT NOT NULL,
            user_name TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS updates_by_stack ON {schema}.updates (stack, id);
        -- Added for rollback: each update's settings and program version (older rows have neither).
        ALTER TABLE {schema}.updates ADD COLUMN IF NOT EXISTS config TEXT;
        ALTER TABLE {schema}.updates ADD COLUMN IF NOT EXISTS program_version TEXT;
        """;
}
