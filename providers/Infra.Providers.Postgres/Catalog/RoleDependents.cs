using Npgsql;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>Objects of one kind that depend on a role in one database, e.g. its owner is the role, 2 tables.</summary>
/// <param name="Database">The database they are in (or, for a database itself, that database).</param>
/// <param name="DatabaseOwner">The database's owner.</param>
/// <param name="Dependency">How they depend on the role: <c>owner of</c>, <c>privileges on</c>, <c>policies on</c>.</param>
/// <param name="Kind">What they are: <c>table</c>, <c>schema</c>, <c>database</c>...</param>
/// <param name="Count">How many.</param>
internal sealed record RoleDependent(string Database, string DatabaseOwner, string Dependency, string Kind, long Count);

/// <summary>
/// What keeps a role from being dropped (PostgreSQL's <c>2BP01</c>), read from <c>pg_shdepend</c>: for each database
/// and kind of object, how the role depends on it (owner or privileges) and how many there are. Named so that whoever
/// reads the error knows what to remove: <c>database 'tenant_acme_copy' (owner 'tenant_acme_owner'): owner of 2 table(s)</c>.
/// </summary>
internal static class RoleDependents
{
    private const string Query = """
        WITH deps AS (
            SELECT coalesce(d.oid, CASE WHEN s.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_database'::pg_catalog.regclass THEN s.objid END) AS db,
                   s.deptype, s.classid
            FROM pg_catalog.pg_shdepend s LEFT JOIN pg_catalog.pg_database d ON d.oid OPERATOR(pg_catalog.=) s.dbid
            WHERE s.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_authid'::pg_catalog.regclass
              AND s.refobjid OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) $1)
              AND s.deptype OPERATOR(pg_catalog.<>) 'p')
        SELECT db.datname::text, pg_catalog.pg_get_userbyid(db.datdba)::text,
               CASE deps.deptype WHEN 'o' THEN 'owner of' WHEN 'a' THEN 'privileges on' WHEN 'r' THEN 'policies on' ELSE 'depends on' END,
               CASE deps.classid
                   WHEN 'pg_catalog.pg_database'::pg_catalog.regclass THEN 'database'
                   WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN 'table'
                   WHEN 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN 'schema'
                   WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'function'
                   WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'type'
                   WHEN 'pg_catalog.pg_extension'::pg_catalog.regclass THEN 'extension'
                   WHEN 'pg_catalog.pg_default_acl'::pg_catalog.regclass THEN 'default privileges'
                   ELSE deps.classid::pg_catalog.regclass::text END,
               pg_catalog.count(*)
        FROM deps LEFT JOIN pg_catalog.pg_database db ON db.oid OPERATOR(pg_catalog.=) deps.db
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 4, 3
        """;

    /// <summary>Everything that depends on <paramref name="role"/>, by database, dependency and kind.</summary>
    public static async Task<IReadOnlyList<RoleDependent>> ReadAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(Query, connection) { Parameters = { new() { Value = role } } };
        var rows = new List<RoleDependent>();
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(new RoleDependent(
                        reader.IsDBNull(0) ? "(unknown)" : reader.GetString(0), reader.IsDBNull(1) ? "(unknown)" : reader.GetString(1),
                        reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
                }
            }
        }

        return rows;
    }

    /// <summary>One phrase per database, e.g. <c>database 'tenant_acme_copy' (owner 'tenant_acme_owner'): privileges on 1 database, owner of 2 table(s)</c>.</summary>
    public static string Describe(IEnumerable<RoleDependent> rows) =>
        string.Join("; ", rows.GroupBy(static r => (r.Database, r.DatabaseOwner)).Select(static g =>
            $"database '{g.Key.Database}' (owner '{g.Key.DatabaseOwner}'): " +
            string.Join(", ", g.Select(static r => $"{r.Dependency} {r.Count} {r.Kind}{(r.Count == 1 ? string.Empty : "(s)")}"))));

    /// <summary>What depends on <paramref name="role"/>, described (see <see cref="Describe"/>).</summary>
    public static async Task<string> DescribeAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken) =>
        Describe(await ReadAsync(connection, role, cancellationToken).ConfigureAwait(false));
}
