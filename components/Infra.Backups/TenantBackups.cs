using System.Globalization;
using System.Security.Cryptography;
using Infra.Providers.Postgres;
using Npgsql;

namespace Infra.Backups;

/// <summary>
/// Tenant-level backup and restore with the real PostgreSQL tools. A backup is <c>pg_dump -Fc</c> of the tenant's
/// database into <c>&lt;location&gt;/&lt;tenant&gt;/&lt;tenant&gt;-&lt;UTC time&gt;.dump</c> plus a manifest beside it. A restore
/// checks the manifest's tenant and the dump's SHA-256 before anything runs, then restores in one transaction
/// (<c>pg_restore --single-transaction --exit-on-error</c>), so a failed restore leaves the database as it was.
/// </summary>
public static class TenantBackups
{
    /// <summary>Dumps the tenant's database and writes its manifest; returns the dump's path and the manifest.</summary>
    /// <exception cref="InfraException">A tool is missing or failed.</exception>
    public static async Task<(string DumpPath, BackupManifest Manifest)> BackupAsync(TenantBackupTarget target, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(target.Location, target.TenantId);
        Directory.CreateDirectory(folder);
        var created = DateTimeOffset.UtcNow;
        var dumpPath = Path.Combine(folder, $"{target.TenantId}-{created.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}.dump");
        var partial = dumpPath + ".partial";
        var serverVersion = await ServerVersionAsync(target, cancellationToken).ConfigureAwait(false);
        var pgDumpVersion = (await PostgresTools.RunAsync("pg_dump", ["--version"], target.Admin, cancellationToken).ConfigureAwait(false)).Trim();
        try
        {
            await PostgresTools.RunAsync("pg_dump",
                [.. PostgresTools.ConnectionArguments(target.Admin, target.Host, target.Database), "--format=custom", "--file", partial],
                target.Admin, cancellationToken).ConfigureAwait(false);
            var (size, sha256) = await HashAsync(partial, cancellationToken).ConfigureAwait(false);
            File.Move(partial, dumpPath);
            var manifest = new BackupManifest
            {
                Tenant = target.TenantId,
                Stack = target.Stack,
                Database = target.Database,
                CreatedAt = created,
                DumpFile = Path.GetFileName(dumpPath),
                SizeBytes = size,
                Sha256 = sha256,
                ServerVersion = serverVersion,
                PgDumpVersion = pgDumpVersion,
            };
            await manifest.WriteAsync(BackupManifest.PathFor(dumpPath), cancellationToken).ConfigureAwait(false);
            return (dumpPath, manifest);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Restores into the tenant's database, or into a new database <paramref name="into"/>; returns the database restored.</summary>
    /// <exception cref="InfraException">The backup is another tenant's, does not match its checksum, or a tool failed; nothing was restored.</exception>
    public static async Task<string> RestoreAsync(TenantBackupTarget target, string from, string? into, CancellationToken cancellationToken)
    {
        var (dumpPath, _) = await VerifyAsync(target, from, cancellationToken).ConfigureAwait(false);
        var restoreArguments = new List<string> { "--single-transaction", "--exit-on-error", dumpPath };
        if (into is null)
        {
            await PostgresTools.RunAsync("pg_restore",
                [.. PostgresTools.ConnectionArguments(target.Admin, target.Host, target.Database), "--clean", "--if-exists", .. restoreArguments],
                target.Admin, cancellationToken).ConfigureAwait(false);
            return target.Database;
        }

        if (PostgresNames.Problem("database", into) is { } problem)
        {
            throw new InfraException($"the database to restore into: {problem}; nothing was restored.");
        }

        await CreateIsolatedDatabaseAsync(target, into, cancellationToken).ConfigureAwait(false);
        try
        {
            await PostgresTools.RunAsync("pg_restore", [.. PostgresTools.ConnectionArguments(target.Admin, target.Host, into), .. restoreArguments],
                target.Admin, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A half-restored new database is worse than none: nobody owns it in any stack.
            await ExecuteAsync(target, [$"DROP DATABASE IF EXISTS {PostgresNames.Quote(into)} WITH (FORCE)"], CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return into;
    }

    /// <summary>Checks the manifest's tenant and the dump's size and SHA-256; returns the dump's path.</summary>
    /// <exception cref="InfraException">The manifest is missing or another tenant's, or the dump does not match it.</exception>
    public static async Task<(string DumpPath, BackupManifest Manifest)> VerifyAsync(TenantBackupTarget target, string from, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(from);
        var manifestPath = full.EndsWith(".manifest.json", StringComparison.Ordinal) ? full : BackupManifest.PathFor(full);
        var manifest = await BackupManifest.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        if (manifest.Tenant != target.TenantId)
        {
            throw new InfraException(
                $"backup '{from}' belongs to tenant '{manifest.Tenant}', not to tenant '{target.TenantId}' of stack '{target.Stack}'; nothing was restored.");
        }

        var dumpPath = Path.Combine(Path.GetDirectoryName(manifestPath)!, manifest.DumpFile);
        if (!File.Exists(dumpPath))
        {
            throw new InfraException($"the dump '{dumpPath}' named by manifest '{manifestPath}' does not exist; nothing was restored.");
        }

        var (size, sha256) = await HashAsync(dumpPath, cancellationToken).ConfigureAwait(false);
        if (size != manifest.SizeBytes || !string.Equals(sha256, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InfraException(
                $"the dump '{dumpPath}' does not match its manifest (sha256 {sha256}, {size} bytes; expected {manifest.Sha256}, {manifest.SizeBytes} bytes); nothing was restored.");
        }

        return (dumpPath, manifest);
    }

    /// <summary>A new database for a restore, isolated like the tenant's own: owned by its role, closed to PUBLIC.</summary>
    private static async Task CreateIsolatedDatabaseAsync(TenantBackupTarget target, string name, CancellationToken cancellationToken)
    {
        var database = PostgresNames.Quote(name);
        var role = PostgresNames.Quote(target.Role);
        try
        {
            await ExecuteAsync(target, [$"CREATE DATABASE {database} OWNER {role} ENCODING 'UTF8' TEMPLATE template0"], cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            throw new InfraException($"the database to restore into, '{name}', already exists; restore into a new name, or into the tenant's own database.");
        }

        await ExecuteAsync(target,
            [$"REVOKE ALL ON DATABASE {database} FROM PUBLIC", $"REVOKE ALL ON DATABASE {database} FROM {role}", $"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}"], cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> ServerVersionAsync(TenantBackupTarget target, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(AdminConnectionString(target));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection.PostgresParameters.TryGetValue("server_version", out var version) ? version : connection.ServerVersion;
        }
    }

    private static async Task ExecuteAsync(TenantBackupTarget target, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(AdminConnectionString(target));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            foreach (var sql in statements)
            {
                var command = new NpgsqlCommand(sql, connection);
                await using (command.ConfigureAwait(false))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static string AdminConnectionString(TenantBackupTarget target) =>
        new NpgsqlConnectionStringBuilder(target.Admin.ConnectionString) { Pooling = false, ApplicationName = "infra tenant restore" }.ConnectionString;

    private static async Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return (stream.Length, Convert.ToHexStringLower(hash));
        }
    }
}
