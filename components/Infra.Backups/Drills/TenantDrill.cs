using System.Diagnostics;
using Infra.Backups.Storage;
using Infra.Providers.Postgres;
using Npgsql;

namespace Infra.Backups.Drills;

/// <summary>What a restore drill found for one tenant.</summary>
/// <param name="Backup">The backup restored (its location), or <see langword="null"/> when the tenant has none.</param>
/// <param name="RecoveryTime">Fetch, checksum check and restore into a scratch database: the tenant's RTO.</param>
/// <param name="Tables">How many tables were compared.</param>
/// <param name="Rows">How many rows the restored copy holds.</param>
/// <param name="Differences">How the restored copy differs from the live database; empty when it matches.</param>
public sealed record TenantDrillResult(string? Backup, TimeSpan RecoveryTime, int Tables, long Rows, IReadOnlyList<string> Differences);

/// <summary>
/// A tenant restore drill: the tenant's newest good backup is restored into a scratch database (isolated like the
/// tenant's own), its tables are compared with the live database's by row count and checksum, and the scratch
/// database is dropped whatever happens.
/// </summary>
public static class TenantDrill
{
    /// <summary>Runs the drill; a result with no backup when the tenant has none.</summary>
    /// <param name="target">The tenant.</param>
    /// <param name="store">Where its backups are.</param>
    /// <param name="tenantLogin">The tenant's own login (user and password); the comparison runs with its rights.</param>
    /// <param name="cancellationToken">Cancels the drill; the scratch database is still dropped.</param>
    public static async Task<TenantDrillResult> RunAsync(
        TenantBackupTarget target, IBackupStore store, NpgsqlConnectionStringBuilder tenantLogin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(store);
        var backup = (await store.ListAsync(target.TenantId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(static b => b.IsGood);
        if (backup is null)
        {
            return new TenantDrillResult(null, TimeSpan.Zero, 0, 0, []);
        }

        var scratch = $"drill_{target.TenantId.Replace('-', '_')}_{Guid.NewGuid().ToString("N")[..8]}";
        var staging = Path.Combine(Path.GetTempPath(), "infra-drill", Guid.NewGuid().ToString("N"));
        try
        {
            var clock = Stopwatch.StartNew();
            var dump = await store.FetchAsync(backup, staging, cancellationToken).ConfigureAwait(false);
            await TenantBackups.RestoreAsync(target, dump, scratch, cancellationToken).ConfigureAwait(false);
            var recovery = clock.Elapsed;
            var live = await TableChecksums.ReadAsync(tenantLogin, target.Database, cancellationToken).ConfigureAwait(false);
            var restored = await TableChecksums.ReadAsync(tenantLogin, scratch, cancellationToken).ConfigureAwait(false);
            return new TenantDrillResult(backup.Location, recovery, restored.Count, restored.Sum(static t => t.Rows), TableChecksums.Differences(live, restored));
        }
        finally
        {
            await DropAsync(target, scratch).ConfigureAwait(false);
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static async Task DropAsync(TenantBackupTarget target, string scratch)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.Admin.ConnectionString) { Pooling = false, ApplicationName = "infra dr drill" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {PostgresNames.Quote(scratch)} WITH (FORCE)", connection);
            await using (drop.ConfigureAwait(false))
            {
                await drop.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
