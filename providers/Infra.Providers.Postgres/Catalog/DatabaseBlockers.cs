using Npgsql;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>
/// What <c>DROP DATABASE … WITH (FORCE)</c> cannot clear: prepared transactions, an active logical replication slot,
/// a subscription, and sessions the admin may not end (a superuser's, or a role's whose backends the admin may not
/// signal). Each is named with its count, so the reader knows what to end first.
/// </summary>
internal static class DatabaseBlockers
{
    private const string Query = """
        SELECT 'prepared transaction(s)', pg_catalog.count(*) FROM pg_catalog.pg_prepared_xacts x WHERE x.database OPERATOR(pg_catalog.=) $1
        UNION ALL
        SELECT 'active logical replication slot(s)', pg_catalog.count(*) FROM pg_catalog.pg_replication_slots s
        WHERE s.database OPERATOR(pg_catalog.=) $1 AND s.active
        UNION ALL
        SELECT 'subscription(s)', pg_catalog.count(*) FROM pg_catalog.pg_subscription s
        JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) s.subdbid WHERE d.datname OPERATOR(pg_catalog.=) $1
        UNION ALL
        SELECT 'session(s) the admin may not end', pg_catalog.count(*) FROM pg_catalog.pg_stat_activity a
        WHERE a.datname OPERATOR(pg_catalog.=) $1 AND a.pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid() AND a.usesysid IS NOT NULL
          AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)
          AND ((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) a.usesysid)
               OR NOT (pg_catalog.pg_has_role(CURRENT_USER, a.usesysid, 'USAGE') OR pg_catalog.pg_has_role(CURRENT_USER, 'pg_signal_backend', 'USAGE')))
        """;

    /// <summary>What keeps <paramref name="database"/> from being dropped, e.g. <c>1 prepared transaction(s)</c>; empty when nothing does.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(Query, connection) { Parameters = { new() { Value = database } } };
        var found = new List<string>();
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.GetInt64(1) is > 0 and var count)
                    {
                        found.Add($"{count} {reader.GetString(0)}");
                    }
                }
            }
        }

        return found;
    }
}
