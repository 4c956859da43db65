using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace Infra.Backups;

/// <summary>
/// Backups of the state backend, written like tenant backups: a file and a <see cref="BackupManifest"/> beside it
/// (tenant <see cref="StateTenant"/>), so the same checks and tools apply. The caller makes the snapshot file (SQLite's
/// online backup, or <see cref="DumpSchemaAsync"/> for PostgreSQL); <see cref="SealAsync"/> writes its manifest.
/// </summary>
public static class StateBackups
{
    /// <summary>The manifest's tenant for a state backup: not a valid tenant id, so it can never be restored as a tenant.</summary>
    public const string StateTenant = "_state";

    /// <summary>The file a state backup taken at <paramref name="created"/> goes to in <paramref name="folder"/>.</summary>
    public static string PathFor(string folder, DateTimeOffset created, string extension) =>
        Path.Combine(folder, $"state-{created.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}.{extension}");

    /// <summary><c>pg_dump -Fc</c> of one schema (the state tables) of <paramref name="admin"/>'s database into <paramref name="file"/>.</summary>
    public static async Task<string> DumpSchemaAsync(NpgsqlConnectionStringBuilder admin, string schema, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        await PostgresTools.RunAsync("pg_dump", ["--format=custom", "--schema", schema, "--file", file],
            ToolLogin.Admin(admin, admin.Database ?? "postgres"), cancellationToken).ConfigureAwait(false);
        return (await PostgresTools.RunAsync("pg_dump", ["--version"], cancellationToken).ConfigureAwait(false)).Trim();
    }

    /// <summary>Writes the manifest of the snapshot <paramref name="file"/>, authenticated with <paramref name="manifestKey"/> as tenant backups are.</summary>
    public static async Task<BackupManifest> SealAsync(
        string file, string source, string format, DateTimeOffset created, string serverVersion, string toolVersion, ReadOnlyMemory<byte> manifestKey,
        CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(file);
        byte[] hash;
        long size;
        await using (stream.ConfigureAwait(false))
        {
            hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            size = stream.Length;
        }

        var manifest = new BackupManifest
        {
            Tenant = StateTenant,
            Stack = string.Empty,
            Database = source,
            CreatedAt = created,
            DumpFile = Path.GetFileName(file),
            DumpFormat = format,
            SizeBytes = size,
            Sha256 = Convert.ToHexStringLower(hash),
            ServerVersion = serverVersion,
            PgDumpVersion = toolVersion,
        }.Signed(manifestKey.Span);
        await manifest.WriteAsync(BackupManifest.PathFor(file), cancellationToken).ConfigureAwait(false);
        return manifest;
    }
}
