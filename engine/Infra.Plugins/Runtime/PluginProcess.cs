using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Infra.Plugins.Protocol;
using StreamJsonRpc;
using OsProcess = System.Diagnostics.Process;

namespace Infra.Plugins.Runtime;

/// <summary>
/// One running plugin process speaking <see cref="PluginProtocol.Version"/> on its stdin and stdout (newline-delimited
/// JSON-RPC 2.0), with its stderr as its log. Many calls may be in flight at once. A call that gets no answer (the
/// process crashed, hung past <see cref="PluginOptions.CallTimeout"/>, or wrote malformed output) fails with a
/// <see cref="PluginFaultException"/>; a process that crashed or wrote garbage is <see cref="IsFaulted"/> and is not
/// used again. Disposing stops the process.
/// </summary>
public sealed class PluginProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(2);

    private readonly PluginOptions _options;
    private readonly OsProcess _process;
    private readonly JsonRpc _rpc;
    private readonly PluginLogTail _log;
    private readonly Task _stderr;
    private readonly IDisposable? _lease;
    private readonly PluginCallDeadlines _deadlines;
    private volatile JsonRpcDisconnectedEventArgs? _disconnected;
    private PluginCallBatcher? _batcher;
    private int _disposed;

    private PluginProcess(PluginOptions options, OsProcess process, PluginLogTail log, IDisposable? lease)
    {
        _options = options;
        _lease = lease;
        _deadlines = new PluginCallDeadlines(options.CallTimeout);
        _process = process;
        _log = log;
        _stderr = PumpStderrAsync(process, log);
        _rpc = PluginWire.Connect(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
        _rpc.Disconnected += (_, e) => _disconnected ??= e;
        _rpc.StartListening();
    }

    /// <summary>The plugin's name: its handshake name once started, else the configured one.</summary>
    public string Name => Info?.Name ?? _options.Name;

    /// <summary>What the plugin said in the handshake.</summary>
    public PluginInfo? Info { get; private set; }

    /// <summary>The operating system's process ID.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the connection is lost (a crash or malformed output); a faulted process serves no more calls.</summary>
    public bool IsFaulted => _disconnected is not null || _process.HasExited;

    /// <summary>Starts the plugin and completes the handshake.</summary>
    /// <exception cref="PluginException">The plugin cannot start, refuses the handshake or speaks another protocol.</exception>
    public static async Task<PluginProcess> StartAsync(PluginOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        PluginCommand command;
        try
        {
            command = options.Launcher.Prepare(options.Command);
        }
        catch (InfraException ex) when (ex is not PluginException)
        {
            throw new PluginException(options.Name, ex.Message, ex);
        }

        var start = new ProcessStartInfo(command.Program)
        {
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in PluginEnvironment.For(command))
        {
            start.Environment[name] = value;
        }

        OsProcess process;
        try
        {
            process = await StartOnOwnThreadAsync(start, options.Name).ConfigureAwait(false)
                ?? throw new PluginException(options.Name, $"cannot start '{command}'.");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            command.Lease?.Dispose();
            throw new PluginException(options.Name, $"cannot start '{command}' in {command.WorkingDirectory}: {ex.Message}.", ex);
        }

        var plugin = new PluginProcess(options, process, new PluginLogTail(options.Log), command.Lease);
        try
        {
            await plugin.HandshakeAsync(cancellationToken).ConfigureAwait(false);
            return plugin;
        }
        catch
        {
            await plugin.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the process from a thread that lives exactly as long as the process. A sandbox asks the kernel to kill
    /// the plugin when its parent goes (<c>bwrap --die-with-parent</c>, PR_SET_PDEATHSIG), and Linux means the parent
    /// <em>thread</em>: started from a pool thread, the plugin would be killed whenever the pool retires that thread.
    /// </summary>
    private static Task<OsProcess?> StartOnOwnThreadAsync(ProcessStartInfo start, string name)
    {
        var started = new TaskCompletionSource<OsProcess?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            OsProcess? process;
            try
            {
                process = OsProcess.Start(start);
            }
            catch (Exception ex)
            {
                started.SetException(ex);
                return;
            }

            started.SetResult(process);
            process?.WaitForExit();
        })
        {
            IsBackground = true,
            Name = $"plugin {name}",
        };
        thread.Start();
        return started.Task;
    }

    /// <summary>Calls <paramref name="method"/> with <paramref name="argument"/> as its params and returns its result.</summary>
    /// <exception cref="PluginErrorException">The plugin answered with an error: the call did not happen.</exception>
    /// <exception cref="PluginFaultException">No usable answer: the outcome is unknown.</exception>
    public Task<TResult> InvokeAsync<TResult>(string method, object? argument, CancellationToken cancellationToken) =>
        InvokeAsync<TResult>(method, argument, _options.CallTimeout, cancellationToken);

    /// <summary>
    /// Calls a resource method (one of <see cref="PluginProtocol.BatchableMethods"/>) that may share a <c>batch</c>
    /// message with calls made at the same moment, when the plugin announced <see cref="PluginProtocol.BatchCapability"/>;
    /// otherwise as <see cref="InvokeAsync{TResult}(string, object?, CancellationToken)"/>. The outcome is the call's own either way.
    /// </summary>
    public Task<TResult> InvokeBatchedAsync<TResult>(string method, object argument, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (!PluginProtocol.BatchableMethods.Contains(method))
        {
            throw new ArgumentException($"'{method}' cannot be batched.", nameof(method));
        }

        return _batcher is { } batcher
            ? batcher.InvokeAsync<TResult>(method, argument, cancellationToken)
            : InvokeAsync<TResult>(method, argument, cancellationToken);
    }

    /// <summary>Calls a method whose result is <c>null</c> (<c>delete</c>, <c>configure</c>).</summary>
    public Task InvokeAsync(string method, object? argument, CancellationToken cancellationToken) =>
        InvokeAsync<JsonElement?>(method, argument, _options.CallTimeout, cancellationToken);

    /// <summary>Stops the plugin: closes its stdin, gives it a moment to exit, then kills it and its children.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _rpc.Dispose();
        _deadlines.Dispose();
        try
        {
            using var grace = new CancellationTokenSource(s_exitGrace);
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the wait and the kill.
            }

            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _stderr.ConfigureAwait(false);
        _process.Dispose();
        _lease?.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        PluginInfo info;
        try
        {
            info = await InvokeAsync<PluginInfo>(
                PluginProtocol.Handshake, new HandshakeRequest(PluginProtocol.Version, _options.EngineVersion), _options.StartTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (PluginErrorException ex) when (ex.Code == PluginErrorCodes.ProtocolMismatch)
        {
            throw new PluginException(_options.Name,
                $"refuses protocol {PluginProtocol.Version} ({ex.PluginMessage.ReplaceLineEndings(" ")}); install a version of the plugin built for {PluginProtocol.Version}.", ex);
        }
        catch (PluginFaultException ex)
        {
            throw new PluginException(_options.Name, $"failed to start: {ex.Message[(ex.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]}", ex);
        }

        if (info.Protocol != PluginProtocol.Version)
        {
            throw new PluginException(_options.Name,
                $"speaks protocol {info.Protocol}, this engine speaks {PluginProtocol.Version}; install a version of the plugin built for {PluginProtocol.Version}.");
        }

        Info = info;
        _batcher = info.Has(PluginProtocol.BatchCapability) ? new PluginCallBatcher(this) : null;
    }

    private async Task<TResult> InvokeAsync<TResult>(string method, object? argument, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        if (IsFaulted)
        {
            // Nothing is sent, so nothing happened: an error, not a fault.
            throw new PluginException(Name, $"{method}: the plugin process is no longer running ({await DescribeLossAsync(string.Empty).ConfigureAwait(false)}).");
        }

        // StreamJsonRpc's cancellation is cooperative: a cancelled call completes only when the plugin answers, which
        // a hung plugin never does. So the wait ends when the call's token is cancelled, by the caller or by the
        // timeout; cancelling it also sends $/cancelRequest, and the late answer, if any, is dropped. The timeout of an
        // ordinary call is kept by the process's one deadline timer, not by a timer of its own.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = timeout == _deadlines.Timeout ? _deadlines.Start(cancel) : null;
        if (deadline is null && timeout != Timeout.InfiniteTimeSpan)
        {
            cancel.CancelAfter(timeout);
        }

        var call = _rpc.InvokeWithParameterObjectAsync<TResult>(method, argument, cancel.Token);
        try
        {
            return await call.WaitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!call.IsCompleted)
        {
            _ = call.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            throw new PluginFaultException(Name, method, PluginFault.TimedOut,
                $"no answer within {Seconds(timeout)}; the plugin may still complete it.");
        }
        catch (RemoteInvocationException ex)
        {
            throw new PluginErrorException(Name, method, ex.ErrorCode, ex.Message, ErrorData(ex), ex);
        }
        catch (RemoteMethodNotFoundException ex)
        {
            // StreamJsonRpc reports both "no such method" and "invalid params" this way; the code tells them apart.
            throw new PluginErrorException(Name, method, (int)ex.ErrorCode, ex.Message, ErrorData(ex), ex);
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or OperationCanceledException && IsFaulted)
        {
            if (_disposed == 1 && !IsFaulted)
            {
                throw;
            }

            throw new PluginFaultException(Name, method, WroteGarbage ? PluginFault.MalformedOutput : PluginFault.Crashed,
                await DescribeLossAsync(" while serving the call").ConfigureAwait(false), ex);
        }
        catch (Exception ex) when (ex is JsonException or RemoteSerializationException or ArgumentException or InvalidOperationException)
        {
            throw new PluginFaultException(Name, method, PluginFault.MalformedAnswer,
                $"answered with a malformed {method} result: {OneLine(ex.Message)}", ex);
        }
        finally
        {
            deadline?.Finish();
        }
    }

    /// <summary>True when the connection dropped because the plugin's output was not JSON (reported as a stream error by the reader).</summary>
    private bool WroteGarbage => _disconnected is { } lost &&
        (lost.Reason is DisconnectedReason.ParseError or DisconnectedReason.RemoteProtocolViolation || lost.Exception is JsonException);

    /// <summary>Why the connection is gone, in a few words: the exit code or the parse error, and the last log line.</summary>
    private async Task<string> DescribeLossAsync(string during)
    {
        string what;
        if (WroteGarbage)
        {
            what = $"wrote malformed JSON on stdout ({OneLine(_disconnected!.Exception?.Message ?? _disconnected.Description)}) and was stopped";
            KillQuietly();
        }
        else
        {
            using var wait = new CancellationTokenSource(s_exitGrace);
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                what = PluginExit.Describe(_process.ExitCode);
            }
            catch (OperationCanceledException)
            {
                what = $"closed its output ({OneLine(_disconnected?.Description ?? "connection lost")})";
                KillQuietly();
            }
        }

        return _log.LastLine() is { } last ? $"{what}{during}; last log line: {last}" : what + during;
    }

    private void KillQuietly()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static JsonElement? ErrorData(RemoteRpcException ex) => ex switch
    {
        RemoteInvocationException { ErrorData: var data } => ElementOf(data),
        RemoteMethodNotFoundException { ErrorData: var data } => ElementOf(data),
        _ => null,
    };

    private static JsonElement? ElementOf(object? data) => data switch
    {
        JsonElement element => element.Clone(),
        null => null,
        var other => JsonSerializer.SerializeToElement(other, PluginJson.Options),
    };

    private static async Task PumpStderrAsync(OsProcess process, PluginLogTail log)
    {
        while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            log.Add(line);
        }
    }

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds < 1 ? $"{timeout.TotalMilliseconds:0} ms" : $"{timeout.TotalSeconds:0.#} s";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
