using Npgsql;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>
/// What keeps a role from being dropped (PostgreSQL's <c>2BP01</c>), read from <c>pg_shdepend</c>: for each database
/// and kind of object, how the role depends on it (owner or privileges) and how many there are. Named so that whoever
/// reads the error knows what to remove: <c>database 'tenant_acme_copy': owner of 2 table(s)</c>.
/// </summary>
internal static class RoleDependents
{
    private const string Query = """
        SELECT coalesce(d.datname, CASE WHEN s.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_database'::pg_catalog.regclass
                                        THEN (SELECT db.datname FROM pg_catalog.pg_database db WHERE db.oid OPERATOR(pg_catalog.=) s.objid) END)::text,
               CASE s.deptype WHEN 'o' THEN 'owner of' WHEN 'a' THEN 'privileges on' WHEN 'r' THEN 'policies on' ELSE 'depends on' END,
               CASE s.classid
                   WHEN 'pg_catalog.pg_database'::pg_catalog.regclass THEN 'database'
                   WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN 'table'
                   WHEN 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN 'schema'
                   WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'function'
                   WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'type'
                   WHEN 'pg_catalog.pg_extension'::pg_catalog.regclass THEN 'extension'
                   WHEN 'pg_catalog.pg_default_acl'::pg_catalog.regclass THEN 'default privileges'
                   ELSE s.classid::pg_catalog.regclass::text END,
               pg_catalog.count(*)
        FROM pg_catalog.pg_shdepend s LEFT JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) s.dbid
        WHERE s.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_authid'::pg_catalog.regclass
          AND s.refobjid OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) $1)
          AND s.deptype OPERATOR(pg_catalog.<>) 'p'
        GROUP BY 1, 2, 3 ORDER BY 1, 3, 2
        """;

    /// <summary>One line per database and kind, e.g. <c>database 'tenant_acme_copy': privileges on 1 database, owner of 2 table(s)</c>.</summary>
    public static async Task<string> DescribeAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(Query, connection) { Parameters = { new() { Value = role } } };
        var rows = new List<(string Database, string Dependency, string Kind, long Count)>();
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.IsDBNull(0) ? "(unknown)" : reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
                }
            }
        }

        return string.Join("; ", rows.GroupBy(static r => r.Database, StringComparer.Ordinal).Select(static g =>
            $"database '{g.Key}': " + string.Join(", ", g.Select(static r => $"{r.Dependency} {r.Count} {r.Kind}{(r.Count == 1 ? string.Empty : "(s)")}"))));
    }
}
