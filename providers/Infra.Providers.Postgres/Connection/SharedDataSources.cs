using System.Collections.Concurrent;
using Npgsql;

namespace Infra.Providers.Postgres.Connection;

/// <summary>
/// Npgsql data sources that outlive one operation, by connection string (which holds the credentials, so a rotated
/// admin password gets a pool of its own). Held by the provider factory for the life of the process.
/// </summary>
internal sealed class SharedDataSources
{
    private readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> _sources = new(StringComparer.Ordinal);

    public NpgsqlDataSource Get(string connectionString, Func<string, NpgsqlDataSource> build) =>
        _sources.GetOrAdd(connectionString, text => new Lazy<NpgsqlDataSource>(() => build(text))).Value;
}

/// <summary>Where a connector finds the shared admin pool, and the name its connections carry.</summary>
internal sealed record SharedAdminPool(SharedDataSources Sources, string ApplicationName);
