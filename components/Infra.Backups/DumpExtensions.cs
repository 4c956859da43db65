using System.Text.RegularExpressions;
using Infra.Providers.Postgres;
using Npgsql;

namespace Infra.Backups;

/// <summary>An extension a tenant's dump uses, and the schema it lives in.</summary>
/// <param name="Name">The extension, e.g. <c>citext</c>.</param>
/// <param name="Schema">Its schema, e.g. <c>public</c>.</param>
internal sealed record DumpExtension(string Name, string Schema);

/// <summary>
/// Carries a tenant's extensions into a database restored under a new name. The restore itself loads only the
/// tenant's schema, as the tenant, so the dump's own <c>CREATE EXTENSION</c> never runs (and never as the admin).
/// Instead each extension the dump names is created, before the tenant's objects, by the tenant's owner role, which
/// owns the new database: PostgreSQL lets a database owner create exactly the extensions marked trusted. One that is
/// not trusted, or that the server does not have, refuses the restore before anything is created.
/// </summary>
internal static partial class DumpExtensions
{
    /// <summary>The extensions the dump creates, from its table of contents and the statements pg_restore prints for them.</summary>
    public static async Task<IReadOnlyList<DumpExtension>> ReadAsync(string dumpPath, CancellationToken cancellationToken)
    {
        var toc = await PostgresTools.RunAsync("pg_restore", ["--list", dumpPath], cancellationToken).ConfigureAwait(false);
        var entries = toc.Split('\n').Where(static line => TocExtension().IsMatch(line)).ToList();
        if (entries.Count == 0)
        {
            return [];
        }

        var folder = Directory.CreateTempSubdirectory("infra-restore-");
        try
        {
            var list = Path.Combine(folder.FullName, "extensions.list");
            await File.WriteAllLinesAsync(list, entries, cancellationToken).ConfigureAwait(false);
            var sql = await PostgresTools.RunAsync("pg_restore", ["--use-list", list, "--file", "-", dumpPath], cancellationToken).ConfigureAwait(false);
            return [.. sql.Split('\n').Select(static line => CreateStatement().Match(line.TrimEnd('\r')))
                .Where(static m => m.Success)
                .Select(static m => new DumpExtension(Unquote(m.Groups["name"].Value), Unquote(m.Groups["schema"].Value)))];
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Refuses, before anything is created, an extension the server lacks or that only a superuser may create.</summary>
    /// <exception cref="InfraException">One of <paramref name="extensions"/> cannot be created by the tenant's owner role.</exception>
    public static async Task CheckCreatableAsync(TenantBackupTarget target, string from, IReadOnlyList<DumpExtension> extensions, CancellationToken cancellationToken)
    {
        if (extensions.Count == 0)
        {
            return;
        }

        var trusted = new Dictionary<string, bool>(StringComparer.Ordinal);
        var connection = new NpgsqlConnection(TenantBackups.AdminConnectionString(target, target.Admin.Database));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand(
                """
                SELECT v.name::text, v.trusted FROM pg_catalog.pg_available_extension_versions v
                JOIN pg_catalog.pg_available_extensions a ON a.name OPERATOR(pg_catalog.=) v.name AND a.default_version OPERATOR(pg_catalog.=) v.version
                WHERE v.name OPERATOR(pg_catalog.=) ANY($1)
                """, connection)
            {
                Parameters = { new() { Value = extensions.Select(static e => e.Name).ToArray() } },
            };
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        trusted[reader.GetString(0)] = reader.GetBoolean(1);
                    }
                }
            }
        }

        foreach (var extension in extensions)
        {
            if (!trusted.TryGetValue(extension.Name, out var isTrusted))
            {
                throw new InfraException(
                    $"backup '{from}' uses extension {ErrorText.Quote(extension.Name)}, which this server does not have; install it on the server first; nothing was restored.");
            }

            if (!isTrusted)
            {
                throw new InfraException(
                    $"backup '{from}' uses extension {ErrorText.Quote(extension.Name)}, which only a superuser may create (it is not trusted), and a restore creates " +
                    $"extensions as the tenant's owner role '{target.OwnerRole}', never as the admin; restore in place instead; nothing was restored.");
            }
        }
    }

    /// <summary>Creates <paramref name="extensions"/> in the new database <paramref name="database"/>, as the tenant's owner role.</summary>
    public static Task CreateAsync(TenantBackupTarget target, string database, IReadOnlyList<DumpExtension> extensions, CancellationToken cancellationToken)
    {
        var owner = PostgresNames.Quote(target.OwnerRole);
        var statements = new List<string>();
        foreach (var extension in extensions)
        {
            var schema = PostgresNames.Quote(extension.Schema);
            // The tenant's schema is the tenant role's: the owner role may create in it for this statement only. The
            // database is new and the tenant's objects not yet loaded, so nothing of the tenant's runs here.
            var tenantSchema = extension.Schema == Tenancy.TenantConventions.AppSchema;
            if (tenantSchema)
            {
                statements.Add($"GRANT CREATE ON SCHEMA {schema} TO {owner}");
            }

            statements.Add($"SET ROLE {owner}");
            statements.Add($"CREATE SCHEMA IF NOT EXISTS {schema}");
            statements.Add($"CREATE EXTENSION IF NOT EXISTS {PostgresNames.Quote(extension.Name)} SCHEMA {schema}");
            statements.Add("RESET ROLE");
            if (tenantSchema)
            {
                statements.Add($"REVOKE CREATE ON SCHEMA {schema} FROM {owner}");
            }
        }

        return TenantBackups.ExecuteAsync(target, database, statements, cancellationToken);
    }

    private static string Unquote(string identifier) =>
        identifier.StartsWith('"') ? identifier[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : identifier;

    // "2; 3079 17359 EXTENSION - citext": an extension's entry (its comment's entry reads "COMMENT - EXTENSION").
    [GeneratedRegex(@"\A\d+; \d+ \d+ EXTENSION - ")]
    private static partial Regex TocExtension();

    // pg_restore prints each one as: CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
    [GeneratedRegex("""\ACREATE EXTENSION IF NOT EXISTS (?<name>[a-z_][a-z0-9_$]*|"(?:[^"]|"")+") WITH SCHEMA (?<schema>[a-z_][a-z0-9_$]*|"(?:[^"]|"")+");\z""")]
    private static partial Regex CreateStatement();
}
