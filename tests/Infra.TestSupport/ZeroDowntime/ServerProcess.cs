using System.Diagnostics;
using System.Net.Sockets;

namespace Infra.TestSupport.ZeroDowntime;

/// <summary>A server started in the foreground as a child process, waited for until it accepts connections, stopped on dispose.</summary>
public abstract class ServerProcess : IAsyncDisposable
{
    private Process? _process;

    protected ServerProcess(string name)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"infra-{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Port = LocalPorts.Free();
    }

    /// <summary>The server's own folder: its config, logs and sockets.</summary>
    public string Directory { get; }

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    protected abstract string Executable { get; }

    protected abstract IEnumerable<string> Arguments { get; }

    /// <summary>Writes the config and starts the process; returns once the port accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await WriteConfigAsync(cancellationToken).ConfigureAwait(false);
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
        var errors = _process.StandardError.ReadToEndAsync(cancellationToken);
        _ = _process.StandardOutput.ReadToEndAsync(cancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await AcceptsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Executable} exited with {_process.ExitCode}: {await errors.ConfigureAwait(false)}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Executable} did not listen on 127.0.0.1:{Port} within 10 s");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the server to stop after the requests in flight (SIGQUIT for nginx, SIGUSR1 for haproxy), and waits.</summary>
    public async Task StopGracefullyAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using var kill = Process.Start("kill", [$"-{GracefulSignal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Kills the server at once, as a crash or a careless switch would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        GC.SuppressFinalize(this);
        await Task.Yield();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    protected abstract string GracefulSignal { get; }

    protected abstract Task WriteConfigAsync(CancellationToken cancellationToken);

    private async Task<bool> AcceptsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
