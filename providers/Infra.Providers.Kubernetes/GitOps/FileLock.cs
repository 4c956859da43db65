namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// An exclusive lock on a file, held while the stream is open. On Linux, .NET takes an advisory <c>flock</c> for
/// <see cref="FileShare.None"/>, which excludes other processes and other handles in this process alike, and the
/// kernel drops it when a process dies, so a crash never leaves the lock held.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Waits until the lock at <paramref name="path"/> is free, then takes it.</summary>
    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
