namespace Infra.Backups.Storage;

/// <summary>
/// Where a tenant's backups live: a folder (<see cref="FolderBackupStore"/>) or an S3 bucket and prefix
/// (<see cref="S3BackupStore"/>). Either holds, per tenant, the dumps and manifests <see cref="TenantBackups"/>
/// writes, under the same names, so listing, retention, drills and restores work the same on both.
/// </summary>
public interface IBackupStore
{
    /// <summary>The location as the user wrote it, for messages: a folder or <c>s3://bucket/prefix</c>.</summary>
    string Display { get; }

    /// <summary>
    /// The local folder <see cref="TenantBackups.BackupAsync"/> writes into; <see cref="PublishAsync"/> then moves what
    /// it wrote into the store. For a folder store it is the store itself.
    /// </summary>
    string StagingRoot { get; }

    /// <summary>Stores a dump (and its manifest beside it) written under <see cref="StagingRoot"/>; returns its location.</summary>
    Task<string> PublishAsync(string tenant, string stagedDumpPath, CancellationToken cancellationToken);

    /// <summary>The tenant's backups, newest first; each with its manifest, or the reason it cannot be used.</summary>
    Task<IReadOnlyList<StoredBackup>> ListAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Makes the backup's dump and manifest available locally in <paramref name="folder"/>; returns the dump's path.</summary>
    Task<string> FetchAsync(StoredBackup backup, string folder, CancellationToken cancellationToken);

    /// <summary>Deletes the backup's dump and manifest.</summary>
    Task DeleteAsync(StoredBackup backup, CancellationToken cancellationToken);
}

/// <summary>One backup in a store.</summary>
/// <param name="Tenant">The tenant it belongs to (its folder).</param>
/// <param name="ManifestName">The manifest's file name.</param>
/// <param name="Location">Where the dump is, for messages and <c>infra tenant restore --from</c>.</param>
/// <param name="Manifest">The manifest, or <see langword="null"/> when it cannot be read.</param>
/// <param name="Problem">Why the backup cannot be restored (no manifest, dump missing or of another size), or <see langword="null"/>.</param>
public sealed record StoredBackup(string Tenant, string ManifestName, string Location, BackupManifest? Manifest, string? Problem)
{
    /// <summary>True when the manifest reads and names a dump of its recorded size; the checksum is checked at restore.</summary>
    public bool IsGood => Manifest is not null && Problem is null;

    /// <summary>When the backup was taken; unreadable manifests sort as the oldest.</summary>
    public DateTimeOffset CreatedAt => Manifest?.CreatedAt ?? DateTimeOffset.MinValue;

    /// <summary>The dump's file name.</summary>
    public string DumpName => Manifest?.DumpFile ?? ManifestName.Replace(".manifest.json", ".dump", StringComparison.Ordinal);
}
