using Npgsql;

namespace Infra.Backups.Drills;

/// <summary>One table's row count and content checksum.</summary>
/// <param name="Table">The table, <c>schema.name</c>.</param>
/// <param name="Rows">Its row count.</param>
/// <param name="Checksum">The MD5 of its rows' MD5s in order: equal tables have equal checksums, whatever their physical order.</param>
public sealed record TableChecksum(string Table, long Rows, string Checksum);

/// <summary>
/// Reads every ordinary table's row count and checksum in a tenant database. It runs as the tenant's own login role,
/// never as an admin, so nothing a tenant has put in its database (a view, a function, an operator) runs with more
/// rights than the tenant has; <c>search_path</c> is pinned to <c>pg_catalog</c> so the functions called are the
/// built-in ones.
/// </summary>
public static class TableChecksums
{
    private const string TablesSql = """
        SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
          AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
        ORDER BY 1
        """;

    /// <summary>The tables of <paramref name="database"/>, read as <paramref name="tenantLogin"/>, by name.</summary>
    public static async Task<IReadOnlyList<TableChecksum>> ReadAsync(NpgsqlConnectionStringBuilder tenantLogin, string database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantLogin);
        var builder = new NpgsqlConnectionStringBuilder(tenantLogin.ConnectionString)
        {
            Database = database,
            Pooling = false,
            SearchPath = "pg_catalog",
            ApplicationName = "infra dr drill",
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var tables = new List<string>();
            var list = new NpgsqlCommand(TablesSql, connection);
            await using (list.ConfigureAwait(false))
            {
                var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        tables.Add(reader.GetString(0));
                    }
                }
            }

            var checksums = new List<TableChecksum>(tables.Count);
            foreach (var table in tables)
            {
                // The names come from the catalog, quoted by quote_ident: a tenant's table name cannot inject SQL.
                var sum = new NpgsqlCommand(
                    $"SELECT count(*), COALESCE(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM ONLY {table} t", connection);
                await using (sum.ConfigureAwait(false))
                {
                    var reader = await sum.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        checksums.Add(new TableChecksum(table, reader.GetInt64(0), reader.GetString(1)));
                    }
                }
            }

            return checksums;
        }
    }

    /// <summary>How <paramref name="restored"/> differs from <paramref name="live"/>, one phrase per table; empty when they match.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<TableChecksum> live, IReadOnlyList<TableChecksum> restored)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(restored);
        var copies = restored.ToDictionary(static t => t.Table, StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var table in live)
        {
            if (!copies.Remove(table.Table, out var copy))
            {
                differences.Add($"{table.Table} is missing from the backup");
            }
            else if (copy.Rows != table.Rows)
            {
                differences.Add($"{table.Table} has {copy.Rows} row(s) in the backup, {table.Rows} live");
            }
            else if (copy.Checksum != table.Checksum)
            {
                differences.Add($"{table.Table} has the same {table.Rows} row(s) but other contents");
            }
        }

        differences.AddRange(copies.Keys.Select(static t => $"{t} is in the backup but no longer live"));
        return differences;
    }
}
