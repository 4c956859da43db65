using System.Collections.Concurrent;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// An exclusive lock on a file, held while the stream is open. On Linux, .NET takes an advisory <c>flock</c> for
/// <see cref="FileShare.None"/>, which excludes other processes and other handles in this process alike, and the
/// kernel drops it when a process dies, so a crash never leaves the lock held.
/// </summary>
/// <remarks>
/// Waiters in this process queue on an in-process gate per lock file first and only then take the <c>flock</c>,
/// which is polled. Polling alone made a stack's many concurrent writes back off in growing sleeps while the lock
/// was free most of the time: a tenant's fifteen objects took over half a second to write. The gate is
/// process-wide on purpose, as the <c>flock</c> itself is: every stack and provider in the process shares it.
/// </remarks>
internal sealed class FileLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> s_gates = new(StringComparer.Ordinal);

    private readonly FileStream _stream;
    private readonly SemaphoreSlim _gate;
    private int _disposed;

    private FileLock(FileStream stream, SemaphoreSlim gate)
    {
        _stream = stream;
        _gate = gate;
    }

    /// <summary>Waits until the lock at <paramref name="path"/> is free, then takes it.</summary>
    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        path = Path.GetFullPath(path);
        var gate = s_gates.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Only another process can hold the flock now.
            var delay = TimeSpan.FromMilliseconds(2);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), gate);
                }
                catch (DirectoryNotFoundException)
                {
                    // Made on first use only: a stack's lock is taken once per object it writes.
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                }
                catch (IOException)
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stream.Dispose();
            _gate.Release();
        }
    }
}
