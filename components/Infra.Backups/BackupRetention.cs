using Infra.Backups.Storage;

namespace Infra.Backups;

/// <summary>
/// Which backups retention removes: those taken more than <c>retentionDays</c> (the plan's <c>backup.retentionDays</c>)
/// before now, except the newest good one, which stays however old it is, so a tenant whose backups have failed for
/// longer than its retention still has one to restore. A backup whose manifest cannot be read is never removed:
/// nobody can tell its age, and an operator may need it.
/// </summary>
public static class BackupRetention
{
    /// <summary>The backups to delete, oldest first.</summary>
    public static IReadOnlyList<StoredBackup> Expired(IReadOnlyList<StoredBackup> backups, int retentionDays, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(backups);
        ArgumentOutOfRangeException.ThrowIfLessThan(retentionDays, 1);
        var cutoff = now.AddDays(-retentionDays);
        var newestGood = backups.Where(static b => b.IsGood).MaxBy(static b => b.CreatedAt);
        return [.. backups
            .Where(b => b.Manifest is not null && b.CreatedAt < cutoff && !ReferenceEquals(b, newestGood))
            .OrderBy(static b => b.CreatedAt)];
    }

    /// <summary>Deletes the tenant's expired backups from <paramref name="store"/>; returns what was deleted.</summary>
    public static async Task<IReadOnlyList<StoredBackup>> PruneAsync(
        IBackupStore store, string tenant, int retentionDays, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var expired = Expired(await store.ListAsync(tenant, cancellationToken).ConfigureAwait(false), retentionDays, now);
        foreach (var backup in expired)
        {
            await store.DeleteAsync(backup, cancellationToken).ConfigureAwait(false);
        }

        return expired;
    }
}
