using System.Collections.Immutable;
using Npgsql;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>
/// One query per object kind, each reading every object of that kind at once: refresh of a stack with N grants
/// costs one round trip, not N. Access lists come from <c>aclexplode</c> over the explicit ACL or, when none was
/// ever set, PostgreSQL's default (<c>acldefault</c>), so "never touched" and "granted by hand" read the same way.
/// </summary>
/// <remarks>
/// These queries run inside tenant databases, where the tenant may have created functions, operators and types
/// named like the catalog's. Sessions pin <c>search_path</c> to <c>pg_catalog, pg_temp</c> (see
/// <see cref="Connection.PostgresConnector"/>), and every name here is qualified as well: <c>pg_catalog.</c> tables,
/// functions and types, and <c>OPERATOR(pg_catalog.=)</c>, so no query resolves anything through a search path.
/// </remarks>
internal static class CatalogQueries
{
    /// <summary>The role attributes <see cref="RolesAsync(NpgsqlConnection, string?, CancellationToken)"/> reads, in its column order.</summary>
    private static readonly string[] s_privilegedAttributes = ["SUPERUSER", "CREATEROLE", "CREATEDB", "REPLICATION", "BYPASSRLS"];

    public static Task<ImmutableDictionary<string, RoleRow>> RolesAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        RolesAsync(connection, null, cancellationToken);

    /// <summary>Every role, or only <paramref name="only"/> (a create looks at its own object, not the whole kind).</summary>
    public static async Task<ImmutableDictionary<string, RoleRow>> RolesAsync(NpgsqlConnection connection, string? only, CancellationToken cancellationToken)
    {
        // Only superusers can read pg_authid; for others the password is unknown and drift in it goes unnoticed.
        var readable = Connection.PostgresConnector.IsSuperuser(connection);
        var sql = $$"""
            SELECT r.rolname, r.rolcanlogin, r.rolinherit, r.rolconnlimit, {{(readable ? "r.rolpassword" : "NULL::pg_catalog.text")}},
                   r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
                   ARRAY(SELECT g.rolname::pg_catalog.text FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid OPERATOR(pg_catalog.=) m.roleid
                         WHERE m.member OPERATOR(pg_catalog.=) r.oid ORDER BY 1),
                   ARRAY(SELECT u.rolname::pg_catalog.text FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles u ON u.oid OPERATOR(pg_catalog.=) m.member
                         WHERE m.roleid OPERATOR(pg_catalog.=) r.oid ORDER BY 1)
            FROM {{(readable ? "pg_catalog.pg_authid" : "pg_catalog.pg_roles")}} r
            WHERE ($1::pg_catalog.text IS NULL OR r.rolname OPERATOR(pg_catalog.=) $1)
            """;
        var rows = await ReadAsync(connection, sql, only, cancellationToken).ConfigureAwait(false);
        return rows.ToImmutableDictionary(
            static r => (string)r[0]!,
            r => new RoleRow((string)r[0]!, (bool)r[1]!, (bool)r[2]!, (int)r[3]!, r[4] as string, readable,
                [.. s_privilegedAttributes.Where((_, i) => (bool)r[5 + i]!)], [.. (string[])r[10]!], [.. (string[])r[11]!]),
            StringComparer.Ordinal);
    }

    public static Task<ImmutableDictionary<string, DatabaseRow>> DatabasesAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        DatabasesAsync(connection, null, cancellationToken);

    public static async Task<ImmutableDictionary<string, DatabaseRow>> DatabasesAsync(NpgsqlConnection connection, string? only, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.datname, pg_catalog.pg_get_userbyid(d.datdba), pg_catalog.pg_encoding_to_char(d.encoding), d.datconnlimit,
                   CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type
            FROM pg_catalog.pg_database d
            LEFT JOIN LATERAL pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d', d.datdba))) a ON true
            LEFT JOIN pg_catalog.pg_roles g ON g.oid OPERATOR(pg_catalog.=) a.grantee
            WHERE ($1::pg_catalog.text IS NULL OR d.datname OPERATOR(pg_catalog.=) $1)
            """;
        var rows = await ReadAsync(connection, sql, only, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(static r => (string)r[0]!, StringComparer.Ordinal).ToImmutableDictionary(
            static g => g.Key,
            static g =>
            {
                var first = g.First();
                return new DatabaseRow(g.Key, (string)first[2]!, (int)first[3]!, Acl((string)first[1]!, g.Select(static r => (r[4] as string, r[5] as string))));
            },
            StringComparer.Ordinal);
    }

    public static Task<ImmutableDictionary<string, AclObject>> SchemasAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        SchemasAsync(connection, null, cancellationToken);

    public static async Task<ImmutableDictionary<string, AclObject>> SchemasAsync(NpgsqlConnection connection, string? only, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname, pg_catalog.pg_get_userbyid(n.nspowner), CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type
            FROM pg_catalog.pg_namespace n
            LEFT JOIN LATERAL pg_catalog.aclexplode(COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) a ON true
            LEFT JOIN pg_catalog.pg_roles g ON g.oid OPERATOR(pg_catalog.=) a.grantee
            WHERE ($1::pg_catalog.text IS NULL OR n.nspname OPERATOR(pg_catalog.=) $1)
            """;
        var rows = await ReadAsync(connection, sql, only, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(static r => (string)r[0]!, StringComparer.Ordinal).ToImmutableDictionary(
            static g => g.Key,
            static g => Acl((string)g.First()[1]!, g.Select(static r => (r[2] as string, r[3] as string))),
            StringComparer.Ordinal);
    }

    /// <summary>Tables, views and foreign tables by schema and name, with their access lists.</summary>
    public static async Task<ImmutableDictionary<(string Schema, string Table), AclObject>> TablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname, c.relname, pg_catalog.pg_get_userbyid(c.relowner), CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            LEFT JOIN LATERAL pg_catalog.aclexplode(COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner))) a ON true
            LEFT JOIN pg_catalog.pg_roles g ON g.oid OPERATOR(pg_catalog.=) a.grantee
            WHERE c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p,v,m,f}'::pg_catalog."char"[])
              AND n.nspname OPERATOR(pg_catalog.<>) 'pg_catalog' AND n.nspname OPERATOR(pg_catalog.<>) 'information_schema'
              AND n.nspname OPERATOR(pg_catalog.!~~) 'pg\_toast%'
            """;
        var rows = await ReadAsync(connection, sql, null, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(static r => ((string)r[0]!, (string)r[1]!)).ToImmutableDictionary(
            static g => g.Key,
            static g => Acl((string)g.First()[2]!, g.Select(static r => (r[3] as string, r[4] as string))));
    }

    public static async Task<ImmutableDictionary<string, ExtensionRow>> ExtensionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(connection, "SELECT e.extname, e.extversion, n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace",
            null, cancellationToken).ConfigureAwait(false);
        return rows.ToImmutableDictionary(static r => (string)r[0]!, static r => new ExtensionRow((string)r[0]!, (string)r[1]!, (string)r[2]!), StringComparer.Ordinal);
    }

    /// <summary>Default privileges: (owner, schema or '', object type letter) to grantee to privileges.</summary>
    public static async Task<ImmutableDictionary<DefaultAclKey, ImmutableDictionary<string, ImmutableHashSet<string>>>> DefaultPrivilegesAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT pg_catalog.pg_get_userbyid(d.defaclrole), COALESCE(n.nspname, ''), d.defaclobjtype::pg_catalog.text,
                   CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type
            FROM pg_catalog.pg_default_acl d
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) d.defaclnamespace
            CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a
            LEFT JOIN pg_catalog.pg_roles g ON g.oid OPERATOR(pg_catalog.=) a.grantee
            """;
        var rows = await ReadAsync(connection, sql, null, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(static r => new DefaultAclKey((string)r[0]!, (string)r[1]!, (string)r[2]!)).ToImmutableDictionary(
            static g => g.Key,
            static g => Acl(string.Empty, g.Select(static r => (r[3] as string, r[4] as string))).Grants);
    }

    private static AclObject Acl(string owner, IEnumerable<(string? Grantee, string? Privilege)> entries) =>
        new(owner, entries
            .Where(static e => e.Grantee is not null && e.Privilege is not null)
            .GroupBy(static e => e.Grantee!, StringComparer.Ordinal)
            .ToImmutableDictionary(static g => g.Key, static g => g.Select(static e => e.Privilege!).ToImmutableHashSet(StringComparer.Ordinal), StringComparer.Ordinal));

    private static async Task<List<object?[]>> ReadAsync(NpgsqlConnection connection, string sql, string? only, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            if (sql.Contains("$1", StringComparison.Ordinal))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)only ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            }

            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var rows = new List<object?[]>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    rows.Add(row);
                }

                return rows;
            }
        }
    }
}
