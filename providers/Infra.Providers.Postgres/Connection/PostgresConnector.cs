using System.Collections.Concurrent;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Infra.Providers.Postgres.Connection;

/// <summary>
/// Connections to one server for one provider instance (one operation on one stack): the admin database through a
/// pool shared with every other operation on that server in this process, a small pool of its own per other
/// database (a tenant's database may be dropped, and its pool must not outlive the operation), and a Polly pipeline that retries a whole unit of work when the connection fails transiently. Units are
/// written to be safe to repeat (they read the catalog, then act), so a retry after a dropped connection finds
/// what the first attempt did.
/// </summary>
/// <remarks>
/// Every session pins <c>search_path</c> to <see cref="PinnedSearchPath"/> in its startup packet, before any query
/// runs. A tenant's database is the tenant's to fill: a <c>search_path</c> set on the database (by its owner, or left
/// from when a tenant owned it) would otherwise make the admin's unqualified names resolve to the tenant's functions,
/// operators and types, and run them with the admin's rights. A client's startup setting outranks database and role
/// settings, so nothing in the database can undo the pin.
/// </remarks>
internal sealed class PostgresConnector : IAsyncDisposable
{
    /// <summary>The search path of every provider session: the catalog, then the session's own temporary schema.</summary>
    public const string PinnedSearchPath = "pg_catalog, pg_temp";

    private readonly NpgsqlConnectionStringBuilder _admin;
    private readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> _sources = new(StringComparer.Ordinal);
    private readonly SharedAdminPool? _shared;
    private readonly ResiliencePipeline _pipeline;
    private int _retries;

    public PostgresConnector(NpgsqlConnectionStringBuilder admin, int maxRetries, TimeSpan firstDelay, SharedAdminPool? shared = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        _admin = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { SearchPath = PinnedSearchPath };
        _shared = shared;
        AdminDatabase = string.IsNullOrEmpty(admin.Database) ? "postgres" : admin.Database;
        MaxRetries = maxRetries;
        var builder = new ResiliencePipelineBuilder();
        if (maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientErrors.IsTransient),
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = firstDelay,
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref _retries);
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>The database the admin connection string names; cluster-wide objects are managed through it.</summary>
    public string AdminDatabase { get; }

    /// <summary>How many times a unit may be retried.</summary>
    public int MaxRetries { get; }

    /// <summary>Retries so far (for tests and diagnostics).</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>
    /// Runs <paramref name="work"/> on an open connection to <paramref name="database"/>, retrying the whole unit on
    /// transient failures. Permanent errors (SQL, permissions, authentication) surface at once.
    /// </summary>
    public async Task<T> RunAsync<T>(string database, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        return await _pipeline.ExecuteAsync(token => new ValueTask<T>(RunOnceAsync(database, work, token)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> once, without retries: for what is only worth a look when the server answers at
    /// once (a preview's warnings), never for a change.
    /// </summary>
    public async Task<T> RunOnceAsync<T>(string database, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await Source(database).OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            RequireStandardStrings(connection);
            return await work(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs statements in one transaction, so a grant's revoke-then-grant is all or nothing.</summary>
    public Task RunInTransactionAsync(string database, IReadOnlyList<string> statements, CancellationToken cancellationToken) =>
        RunAsync(database, async (connection, token) =>
        {
            await RunInTransactionAsync(connection, statements, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Runs statements in one transaction on an open connection; none is nothing to do.</summary>
    public static async Task RunInTransactionAsync(NpgsqlConnection connection, IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return;
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            foreach (var sql in statements)
            {
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one statement on an open connection.</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when the admin login is a superuser (reported by the server at login, no query needed).</summary>
    public static bool IsSuperuser(NpgsqlConnection connection) =>
        connection.PostgresParameters.TryGetValue("is_superuser", out var value) && value == "on";

    /// <summary>Closes pooled connections to a database, before it is dropped.</summary>
    public void ClearPool(string database)
    {
        if (_sources.TryGetValue(database, out var lazy) && lazy.IsValueCreated)
        {
            using var connection = lazy.Value.CreateConnection();
            NpgsqlConnection.ClearPool(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _sources.Values.Where(static l => l.IsValueCreated))
        {
            await lazy.Value.DisposeAsync().ConfigureAwait(false);
        }

        _sources.Clear();
    }

    private NpgsqlDataSource Source(string database)
    {
        if (_shared is not null && database == AdminDatabase)
        {
            var shared = new NpgsqlConnectionStringBuilder(_admin.ConnectionString)
            {
                Database = database,
                MaxPoolSize = Math.Max(_admin.MaxPoolSize, PostgresProviderFactory.MaxSharedAdminPoolSize),
                ApplicationName = _shared.ApplicationName,
            };
            return _shared.Sources.Get(shared.ConnectionString, Build);
        }

        return _sources.GetOrAdd(database, db => new Lazy<NpgsqlDataSource>(() =>
            Build(new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = db }.ConnectionString))).Value;
    }

    internal static NpgsqlDataSource Build(string connectionString)
    {
        var source = new NpgsqlDataSourceBuilder(connectionString);
        // The provider reads only built-in types; skipping Npgsql's type catalog saves a query per pool.
        source.ConfigureTypeLoading(static options => options.EnableTypeLoading(false));
        return source.Build();
    }

    private static void RequireStandardStrings(NpgsqlConnection connection)
    {
        // Literals are written with doubled quotes only; that is exact only under standard_conforming_strings.
        if (connection.PostgresParameters.TryGetValue("standard_conforming_strings", out var value) && value != "on")
        {
            throw new InfraException("the postgres server has standard_conforming_strings off; the provider requires it on (the default since PostgreSQL 9.1).");
        }
    }
}
