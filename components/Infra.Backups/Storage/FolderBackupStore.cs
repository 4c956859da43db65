namespace Infra.Backups.Storage;

/// <summary>Backups in a local folder: <c>&lt;root&gt;/&lt;tenant&gt;/&lt;tenant&gt;-&lt;time&gt;.dump</c> with its manifest.</summary>
/// <param name="root">The folder, absolute.</param>
public sealed class FolderBackupStore(string root) : IBackupStore
{
    /// <inheritdoc/>
    public string Display => root;

    /// <inheritdoc/>
    public string StagingRoot => root;

    /// <inheritdoc/>
    public Task<string> PublishAsync(string tenant, string stagedDumpPath, CancellationToken cancellationToken) => Task.FromResult(stagedDumpPath);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredBackup>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, tenant);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var backups = new List<StoredBackup>();
        foreach (var manifestPath in Directory.EnumerateFiles(folder, "*.manifest.json"))
        {
            var name = Path.GetFileName(manifestPath);
            BackupManifest manifest;
            try
            {
                manifest = await BackupManifest.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
            }
            catch (InfraException ex)
            {
                backups.Add(new StoredBackup(tenant, name, manifestPath, null, ex.Message));
                continue;
            }

            var dump = new FileInfo(Path.Combine(folder, Path.GetFileName(manifest.DumpFile)));
            backups.Add(new StoredBackup(tenant, name, dump.FullName, manifest, BackupProblems.Of(manifest, dump.Exists ? dump.Length : null)));
        }

        return BackupProblems.NewestFirst(backups);
    }

    /// <inheritdoc/>
    public Task<string> FetchAsync(StoredBackup backup, string folder, CancellationToken cancellationToken) => Task.FromResult(backup.Location);

    /// <inheritdoc/>
    public Task DeleteAsync(StoredBackup backup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var folder = Path.Combine(root, backup.Tenant);
        File.Delete(Path.Combine(folder, Path.GetFileName(backup.DumpName)));
        File.Delete(Path.Combine(folder, Path.GetFileName(backup.ManifestName)));
        return Task.CompletedTask;
    }
}

/// <summary>The checks both stores make when they list backups.</summary>
internal static class BackupProblems
{
    public static string? Of(BackupManifest manifest, long? dumpSize) =>
        dumpSize is null ? $"its dump '{manifest.DumpFile}' is missing"
        : dumpSize != manifest.SizeBytes ? $"its dump '{manifest.DumpFile}' has {dumpSize} bytes, not the {manifest.SizeBytes} its manifest records"
        : null;

    public static IReadOnlyList<StoredBackup> NewestFirst(IEnumerable<StoredBackup> backups) =>
        [.. backups.OrderByDescending(static b => b.CreatedAt).ThenByDescending(static b => b.ManifestName, StringComparer.Ordinal)];
}
