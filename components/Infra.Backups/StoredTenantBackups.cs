using Infra.Backups.Storage;
using Npgsql;

namespace Infra.Backups;

/// <summary>
/// Tenant backups through a store (<see cref="IBackupStore"/>): <see cref="TenantBackups"/> writes the dump and its
/// manifest into the store's staging folder, and the store keeps them (a folder keeps them in place; S3 uploads them).
/// </summary>
public static class StoredTenantBackups
{
    /// <summary>Backs up the tenant into <paramref name="store"/>; returns where the dump is, and its manifest.</summary>
    public static async Task<(string Location, BackupManifest Manifest)> BackupAsync(TenantBackupTarget target, IBackupStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(store);
        var (staged, manifest) = await TenantBackups.BackupAsync(target with { Location = store.StagingRoot }, cancellationToken).ConfigureAwait(false);
        return (await store.PublishAsync(target.TenantId, staged, cancellationToken).ConfigureAwait(false), manifest);
    }

    /// <summary>True when the tenant's database exists on its server: a stack destroyed or dropped out of band has none.</summary>
    public static async Task<bool> DatabaseExistsAsync(TenantBackupTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var builder = new NpgsqlConnectionStringBuilder(target.Admin.ConnectionString) { Pooling = false, ApplicationName = "infra tenant backup" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", connection) { Parameters = { new() { Value = target.Database } } };
            await using (command.ConfigureAwait(false))
            {
                return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
        }
    }
}
