using System.Collections.Immutable;
using Npgsql;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>
/// One query per object kind, each reading every object of that kind at once: refresh of a stack with N grants
/// costs one round trip, not N. Access lists come from <c>aclexplode</c> over the explicit ACL or, when none was
/// ever set, PostgreSQL's default (<c>acldefault</c>), so "never touched" and "granted by hand" read the same way.
/// </summary>
internal static class CatalogQueries
{
    public static Task<ImmutableDictionary<string, RoleRow>> RolesAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        RolesAsync(connection, null, cancellationToken);

    /// <summary>Every role, or only <paramref name="only"/> (a create looks at its own object, not the whole kind).</summary>
    public static async Task<ImmutableDictionary<string, RoleRow>> RolesAsync(NpgsqlConnection connection, string? only, CancellationToken cancellationToken)
    {
        // Only superusers can read pg_authid; for others the password is unknown and drift in it goes unnoticed.
        var readable = Connection.PostgresConnector.IsSuperuser(connection);
        var sql = readable
            ? "SELECT a.rolname, a.rolcanlogin, a.rolinherit, a.rolconnlimit, a.rolpassword FROM pg_authid a WHERE ($1::text IS NULL OR a.rolname = $1)"
            : "SELECT r.rolname, r.rolcanlogin, r.rolinherit, r.rolconnlimit, NULL::text FROM pg_roles r WHERE ($1::text IS NULL OR r.rolname = $1)";
        var rows = await ReadAsync(connection, sql, only, cancellationToken).ConfigureAwait(false);
        return rows.ToImmutableDictionary(
            static r => (string)r[0]!,
            r => new RoleRow((string)r[0]!, (bool)r[1]!, (bool)r[2]!, (int)r[3]!, r[4] as string, readable),
            StringComparer.Ordinal);
    }

    public static Task<ImmutableDictionary<string, DatabaseRow>> DatabasesAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        DatabasesAsync(connection, null, cancellationToken);

    public static async Task<ImmutableDictionary<string, DatabaseRow>> DatabasesAsync(NpgsqlConnection connection, string? only, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.datname, pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datconnlimit,
                   CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type
            FROM pg_database d
            LEFT JOIN LATERAL aclexplode(COALESCE(d.datacl, acldefault('d', d.datdba))) a ON true
            LEFT JOIN pg_roles g ON g.oid = a.grantee
            WHERE ($1::text IS NULL OR d.datname = $1)
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
            SELECT n.nspname, pg_get_userbyid(n.nspowner), CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type
            FROM pg_namespace n
            LEFT JOIN LATERAL aclexplode(COALESCE(n.nspacl, acldefault('n', n.nspowner))) a ON true
            LEFT JOIN pg_roles g ON g.oid = a.grantee
            WHERE ($1::text IS NULL OR n.nspname = $1)
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
            SELECT n.nspname, c.relname, pg_get_userbyid(c.relowner), CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN LATERAL aclexplode(COALESCE(c.relacl, acldefault('r', c.relowner))) a ON true
            LEFT JOIN pg_roles g ON g.oid = a.grantee
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
            """;
        var rows = await ReadAsync(connection, sql, null, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(static r => ((string)r[0]!, (string)r[1]!)).ToImmutableDictionary(
            static g => g.Key,
            static g => Acl((string)g.First()[2]!, g.Select(static r => (r[3] as string, r[4] as string))));
    }

    public static async Task<ImmutableDictionary<string, ExtensionRow>> ExtensionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(connection, "SELECT e.extname, e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace",
            null, cancellationToken).ConfigureAwait(false);
        return rows.ToImmutableDictionary(static r => (string)r[0]!, static r => new ExtensionRow((string)r[0]!, (string)r[1]!, (string)r[2]!), StringComparer.Ordinal);
    }

    /// <summary>Default privileges: (owner, schema or '', object type letter) to grantee to privileges.</summary>
    public static async Task<ImmutableDictionary<DefaultAclKey, ImmutableDictionary<string, ImmutableHashSet<string>>>> DefaultPrivilegesAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT pg_get_userbyid(d.defaclrole), COALESCE(n.nspname, ''), d.defaclobjtype::text,
                   CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE g.rolname END, a.privilege_type
            FROM pg_default_acl d
            LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
            CROSS JOIN LATERAL aclexplode(d.defaclacl) a
            LEFT JOIN pg_roles g ON g.oid = a.grantee
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
