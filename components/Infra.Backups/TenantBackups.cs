using System.Globalization;
using System.Security.Cryptography;
using Infra.Providers.Postgres;
using Infra.Tenancy;
using Npgsql;

namespace Infra.Backups;

/// <summary>
/// Tenant-level backup and restore with the real PostgreSQL tools. A backup is <c>pg_dump -Fc</c> of the tenant's
/// database into <c>&lt;location&gt;/&lt;tenant&gt;/&lt;tenant&gt;-&lt;UTC time&gt;.dump</c> plus a manifest beside it,
/// authenticated with the stack's manifest key.
/// </summary>
/// <remarks>
/// A restore checks the manifest's MAC, then its tenant, stack and database against the target, then the dump's
/// SHA-256, before anything runs. The dump is the tenant's: its functions, CHECK constraints and defaults run while
/// its rows load. So <c>pg_restore</c> logs in as the tenant's own role (never the admin, whose rights a
/// <c>RESET ROLE</c> in the tenant's code would get back) and restores only the schema the tenant owns
/// (<c>--schema app --no-owner --no-privileges</c>), in one transaction, so a failed restore leaves the database as it was.
/// </remarks>
public static class TenantBackups
{
    /// <summary>Dumps the tenant's database and writes its manifest; returns the dump's path and the manifest.</summary>
    /// <exception cref="InfraException">A tool is missing or failed.</exception>
    public static async Task<(string DumpPath, BackupManifest Manifest)> BackupAsync(TenantBackupTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var folder = BackupFolder.OpenForBackup(target.Location, target.TenantId);
        var created = DateTimeOffset.UtcNow;
        var dumpPath = Path.Combine(folder.Path, $"{target.TenantId}-{created.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}.dump");
        var partial = dumpPath + BackupFolder.PartialSuffix;
        var serverVersion = await ServerVersionAsync(target, cancellationToken).ConfigureAwait(false);
        var pgDumpVersion = (await PostgresTools.RunAsync("pg_dump", ["--version"], cancellationToken).ConfigureAwait(false)).Trim();
        try
        {
            BackupFolder.CreatePrivateFile(partial);
            await PostgresTools.RunAsync("pg_dump", ["--format=custom", "--file", partial],
                ToolLogin.Admin(target.Admin, target.Database), cancellationToken).ConfigureAwait(false);
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
            }.Signed(target.ManifestKey);
            await manifest.WriteAsync(BackupManifest.PathFor(dumpPath), cancellationToken).ConfigureAwait(false);
            return (dumpPath, manifest);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Restores into the tenant's database, or into a new database <paramref name="into"/>; returns the database restored.</summary>
    /// <exception cref="InfraException">The backup is not authentic, is another tenant's, does not match its checksum, or a tool failed; nothing was restored.</exception>
    public static async Task<string> RestoreAsync(TenantBackupTarget target, string from, string? into, CancellationToken cancellationToken) =>
        (await RestoreWithManifestAsync(target, from, into, cancellationToken).ConfigureAwait(false)).Database;

    /// <summary>
    /// Restores into a new database <paramref name="into"/>, owned by the tenant's owner role; returns the copy with
    /// the backup it came from. A failed restore drops what it made.
    /// </summary>
    /// <exception cref="InfraException">The backup is not authentic, is another tenant's, does not match its checksum, or a tool failed; nothing was restored.</exception>
    public static async Task<RestoredCopy> RestoreCopyAsync(TenantBackupTarget target, string from, string into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(into);
        var (database, dumpPath, manifest) = await RestoreWithManifestAsync(target, from, into, cancellationToken).ConfigureAwait(false);
        return new RestoredCopy(database, target.OwnerRole, dumpPath, manifest.CreatedAt);
    }

    private static async Task<(string Database, string DumpPath, BackupManifest Manifest)> RestoreWithManifestAsync(
        TenantBackupTarget target, string from, string? into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (dumpPath, manifest) = await VerifyAsync(target, from, cancellationToken).ConfigureAwait(false);
        string[] asTenant = ["--no-owner", "--no-privileges", "--schema", TenantConventions.AppSchema, "--single-transaction", "--exit-on-error"];
        if (into is null)
        {
            await PostgresTools.RunAsync("pg_restore", [.. asTenant, "--clean", "--if-exists", dumpPath],
                TenantLogin(target, target.Database), cancellationToken).ConfigureAwait(false);
            return (target.Database, dumpPath, manifest);
        }

        if (PostgresNames.Problem("database", into) is { } problem)
        {
            throw new InfraException($"the database to restore into: {problem}; nothing was restored.");
        }

        // The restore loads only the tenant's schema, so the extensions it uses are made first (see DumpExtensions).
        var extensions = await DumpExtensions.ReadAsync(dumpPath, cancellationToken).ConfigureAwait(false);
        await DumpExtensions.CheckCreatableAsync(target, from, extensions, cancellationToken).ConfigureAwait(false);
        await CreateIsolatedDatabaseAsync(target, into, cancellationToken).ConfigureAwait(false);
        try
        {
            await DumpExtensions.CreateAsync(target, into, extensions, cancellationToken).ConfigureAwait(false);
            await PostgresTools.RunAsync("pg_restore", [.. asTenant, dumpPath], TenantLogin(target, into), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A half-restored new database is worse than none: nobody owns it in any stack.
            await ExecuteAsync(target, target.Admin.Database, [$"DROP DATABASE IF EXISTS {PostgresNames.Quote(into)} WITH (FORCE)"], CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return (into, dumpPath, manifest);
    }

    /// <summary>
    /// Checks, in this order, the manifest's MAC, its tenant, stack and database, its dump's name, and the dump's size
    /// and SHA-256; returns the dump's path. Nothing in the manifest is believed before its MAC is.
    /// </summary>
    /// <exception cref="InfraException">The manifest is missing, forged or another tenant's, or the dump does not match it.</exception>
    public static async Task<(string DumpPath, BackupManifest Manifest)> VerifyAsync(TenantBackupTarget target, string from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(from);
        var full = Path.GetFullPath(from);
        if (full.EndsWith(BackupFolder.PartialSuffix, StringComparison.Ordinal))
        {
            throw new InfraException($"'{from}' is an unfinished backup (a backup was killed while writing it); nothing was restored.");
        }

        var manifestPath = BackupManifest.IsManifestPath(full) ? full : BackupManifest.PathFor(full);
        var manifest = await BackupManifest.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        if (!manifest.HasValidMac(target.ManifestKey))
        {
            throw new InfraException(
                $"backup manifest '{manifestPath}' is not authentic for stack '{target.Stack}': its MAC does not verify with the stack's manifest key " +
                $"(it was altered, forged, or written by a stack with another key; it claims tenant {ErrorText.Quote(manifest.Tenant)}); nothing was restored.");
        }

        if (manifest.Tenant != target.TenantId || manifest.Stack != target.Stack)
        {
            throw new InfraException(
                $"backup '{from}' belongs to tenant {ErrorText.Quote(manifest.Tenant)} (stack {ErrorText.Quote(manifest.Stack)}), not to tenant '{target.TenantId}' of stack '{target.Stack}'; nothing was restored.");
        }

        if (manifest.Database != target.Database)
        {
            throw new InfraException(
                $"backup '{from}' is of database {ErrorText.Quote(manifest.Database)}, not of the tenant's database '{target.Database}'; nothing was restored.");
        }

        if (BackupManifest.DumpFileProblem(manifest.DumpFile) is { } problem)
        {
            throw new InfraException($"backup manifest '{manifestPath}': dumpFile {ErrorText.Quote(manifest.DumpFile)} {problem}; nothing was restored.");
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

    private static ToolLogin TenantLogin(TenantBackupTarget target, string database) => new(target.Admin, target.Role, target.RolePassword, database);

    /// <summary>
    /// A new database for a restore, isolated like the tenant's own: owned by the tenant's owner role, closed to
    /// PUBLIC, <c>CONNECT</c> and <c>TEMPORARY</c> for the tenant's role, which owns its schema <c>app</c>.
    /// </summary>
    private static async Task CreateIsolatedDatabaseAsync(TenantBackupTarget target, string name, CancellationToken cancellationToken)
    {
        var database = PostgresNames.Quote(name);
        var role = PostgresNames.Quote(target.Role);
        try
        {
            await ExecuteAsync(target, target.Admin.Database,
                [$"CREATE DATABASE {database} OWNER {PostgresNames.Quote(target.OwnerRole)} ENCODING 'UTF8' TEMPLATE template0"], cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            throw new InfraException($"the database to restore into, '{name}', already exists; restore into a new name, or into the tenant's own database.");
        }

        await ExecuteAsync(target, target.Admin.Database,
            [$"REVOKE ALL ON DATABASE {database} FROM PUBLIC", $"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}"], cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(target, name, [$"CREATE SCHEMA {PostgresNames.Quote(TenantConventions.AppSchema)} AUTHORIZATION {role}"], cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> ServerVersionAsync(TenantBackupTarget target, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(AdminConnectionString(target, target.Admin.Database));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection.PostgresParameters.TryGetValue("server_version", out var version) ? version : connection.ServerVersion;
        }
    }

    internal static async Task ExecuteAsync(TenantBackupTarget target, string? database, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(AdminConnectionString(target, database));
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

    // Pinned like every admin session: a database the tenant filled must not resolve the admin's names to its code.
    internal static string AdminConnectionString(TenantBackupTarget target, string? database) =>
        new NpgsqlConnectionStringBuilder(target.Admin.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "infra tenant restore",
            SearchPath = PostgresNames.PinnedSearchPath,
            Database = string.IsNullOrEmpty(database) ? "postgres" : database,
        }.ConnectionString;

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
