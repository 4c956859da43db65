using Infra.Automation;
using Infra.Backups;
using Infra.State.Postgres;
using Infra.State.Sqlite;
using Microsoft.Data.Sqlite;

namespace Infra.Hosting;

/// <summary>
/// <c>infra state backup</c>: a consistent snapshot of the state backend with a manifest, taken while stacks run.
/// SQLite: the online backup API (a page-by-page copy that sees one committed state). PostgreSQL: <c>pg_dump</c> of
/// the state schema (one repeatable-read snapshot).
/// </summary>
public static class StateSnapshots
{
    /// <summary>Backs up <paramref name="workspace"/>'s backend into <paramref name="folder"/>; returns the file and its manifest.</summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="backendUrl">The backend URL with its password (the workspace shows it only redacted).</param>
    /// <param name="folder">Where the snapshot goes.</param>
    /// <param name="manifestKey">The key that authenticates the manifest (<see cref="TenantBackupTargets.ManifestKey"/> of a stack).</param>
    /// <param name="cancellationToken">Cancels the backup.</param>
    /// <exception cref="InfraException">The backend cannot be backed up (in-memory), or a tool failed.</exception>
    public static async Task<(string Path, BackupManifest Manifest)> BackupAsync(
        Workspace workspace, string? backendUrl, string folder, ReadOnlyMemory<byte> manifestKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        Directory.CreateDirectory(folder);
        var created = DateTimeOffset.UtcNow;
        switch (workspace.Backend)
        {
            case SqliteStateBackend sqlite:
            {
                var file = StateBackups.PathFor(folder, created, "db");
                var partial = file + ".partial";
                await using (var source = new SqliteConnection($"Data Source={sqlite.Path};Mode=ReadOnly;Pooling=false"))
                await using (var target = new SqliteConnection($"Data Source={partial};Pooling=false"))
                {
                    await source.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await target.OpenAsync(cancellationToken).ConfigureAwait(false);
                    source.BackupDatabase(target);
                }

                File.Move(partial, file);
                var manifest = await StateBackups.SealAsync(file, sqlite.Path, "sqlite", created, "sqlite " + SqliteVersion(), "sqlite online backup", manifestKey, cancellationToken)
                    .ConfigureAwait(false);
                return (file, manifest);
            }

            case PostgresStateBackend:
            {
                var (connectionString, schema, display) = PostgresUrl.Parse(backendUrl
                    ?? throw new InfraException($"state backup of {workspace.Backend.DisplayUrl} needs its URL with credentials: set {Infra.State.StateBackends.UrlVariable}."));
                var admin = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
                var file = StateBackups.PathFor(folder, created, "dump");
                var tool = await StateBackups.DumpSchemaAsync(admin, schema, file, cancellationToken).ConfigureAwait(false);
                var manifest = await StateBackups.SealAsync(file, $"{display} (schema {schema})", "custom", created, "postgres", tool, manifestKey, cancellationToken)
                    .ConfigureAwait(false);
                return (file, manifest);
            }

            default:
                throw new InfraException($"the state backend {workspace.Backend.DisplayUrl} cannot be backed up: only SQLite and PostgreSQL backends keep state beyond the process.");
        }
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }
}
