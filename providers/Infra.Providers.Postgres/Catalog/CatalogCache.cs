using System.Collections.Concurrent;
using Infra.Providers.Postgres.Connection;
using Npgsql;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>
/// Catalog snapshots for one provider instance, one per object kind and database, loaded on first read. Refresh
/// reads every resource at once, so all the roles of a stack resolve from one query, all its grants from another.
/// Any write clears the snapshots, so nothing read after a change is stale; creates and updates never use them
/// (they read the live catalog on the connection they act on).
/// </summary>
internal sealed class CatalogCache(PostgresConnector connector)
{
    public const string Roles = "roles";
    public const string Databases = "databases";
    public const string Schemas = "schemas";
    public const string Tables = "tables";
    public const string Extensions = "extensions";
    public const string DefaultPrivileges = "default-privileges";

    private readonly ConcurrentDictionary<(string Kind, string Database), Lazy<Task<object?>>> _entries = new();
    private int _queries;

    /// <summary>Catalog queries run so far; the batching guarantee (one per kind) is tested against it.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>
    /// The snapshot of <paramref name="kind"/> in <paramref name="database"/>, or <see langword="null"/> when that
    /// database does not exist (so nothing in it exists either).
    /// </summary>
    public async Task<T?> GetAsync<T>(string kind, string database, Func<NpgsqlConnection, CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class
    {
        var key = (kind, database);
        var lazy = _entries.GetOrAdd(key, _ => new Lazy<Task<object?>>(() => LoadAsync(database, load, cancellationToken)));
        try
        {
            return (T?)await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            _entries.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
    }

    /// <summary>Forgets every snapshot, after a write.</summary>
    public void Clear() => _entries.Clear();

    private async Task<object?> LoadAsync<T>(string database, Func<NpgsqlConnection, CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queries);
        try
        {
            return await connector.RunAsync(database, load, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return null;
        }
    }
}
