using System.Text;

namespace Infra.Backups;

/// <summary>
/// A tenant's backup folder (<c>&lt;location&gt;/&lt;tenant&gt;</c>): created <c>0700</c>, its files <c>0600</c>, so
/// nobody but the operator's user can read a dump or plant a file beside one. A dump is written as
/// <c>&lt;name&gt;.partial</c> and renamed when complete; a backup holds the folder's lock (<c>.lock</c>, released by
/// the kernel when the process dies) and first removes the <c>.partial</c> files a killed backup left, which restore
/// never takes for a finished dump.
/// </summary>
internal sealed class BackupFolder : IDisposable
{
    /// <summary>The suffix of a file still being written.</summary>
    public const string PartialSuffix = ".partial";

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly FileStream _lock;

    private BackupFolder(string path, FileStream @lock)
    {
        Path = path;
        _lock = @lock;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The files the last <see cref="OpenForBackup"/> removed: unfinished dumps and manifests of killed backups.</summary>
    public IReadOnlyList<string> RemovedPartials { get; private init; } = [];

    /// <summary>
    /// Creates or tightens the folder to <c>0700</c> (and creates <paramref name="location"/> so when missing), takes its lock, and removes the
    /// <c>.partial</c> files of backups that were killed. Waits while another backup of the tenant holds the lock.
    /// </summary>
    public static BackupFolder OpenForBackup(string location, string tenant)
    {
        var path = System.IO.Path.Combine(location, tenant);
        if (!Directory.Exists(location))
        {
            CreateFolder(location);
        }

        CreatePrivate(path);
        var @lock = AcquireLock(System.IO.Path.Combine(path, ".lock"));
        var removed = new List<string>();
        foreach (var partial in Directory.EnumerateFiles(path, "*" + PartialSuffix))
        {
            File.Delete(partial);
            removed.Add(partial);
        }

        return new BackupFolder(path, @lock) { RemovedPartials = removed };
    }

    /// <summary>Creates an empty file readable and writable by its owner only, for a tool to write into.</summary>
    public static void CreatePrivateFile(string path)
    {
        using var _ = new FileStream(path, Private(new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write }));
    }

    /// <summary>Writes <paramref name="text"/> to a new file readable and writable by its owner only.</summary>
    public static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, Private(new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write }));
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        // Create keeps the mode of a file that already existed.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    public void Dispose() => _lock.Dispose();

    private static void CreatePrivate(string folder)
    {
        if (!Directory.Exists(folder))
        {
            CreateFolder(folder);
        }

        // A folder made by an older version, or by hand, is tightened rather than trusted.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, FolderMode);
        }
    }

    private static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode);
        }
    }

    /// <summary>Sets <paramref name="options"/> to create a file readable and writable by its owner only.</summary>
    internal static FileStreamOptions Private(FileStreamOptions options)
    {
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    private static FileStream AcquireLock(string path)
    {
        var options = Private(new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None });
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // FileShare.None is an exclusive flock on Linux: the kernel drops it when the holder dies.
                return new FileStream(path, options);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
