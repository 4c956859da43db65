using System.Collections.Concurrent;
using Infra.Plugins.Protocol;
using Infra.Plugins.Runtime;
using Infra.Providers;

namespace Infra.Plugins.Providers;

/// <summary>
/// The plugin process behind one or more <see cref="PluginProvider"/>s of one operation: an up's preview and its
/// apply share it, so an up starts one process, not two. It starts when the operation opens (<see cref="BeginStart"/>)
/// or else on first use (handshake, <c>getSchema</c>), restarts after a fault at most
/// <see cref="PluginProvider.MaxStarts"/> times, and sends <c>configure</c> again whenever another provider (another
/// phase, with its own <c>isPreview</c>) uses it, so each call runs under its own provider's configuration. It stops
/// when the last provider using it is disposed.
/// <para>
/// Within the operation, <c>check</c> is answered once per identical request: an up checks each resource in its
/// preview and again, with the very same inputs, in its apply, and the apply must act on what the preview showed.
/// The second answer comes from memory, which saves one of the four round trips an up makes per resource.
/// </para>
/// </summary>
internal sealed class PluginConnection(string package, PluginOptions options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    // Keyed by the request itself: its property bags compare by value, kinds included (a secret never equals its
    // plaintext), which is what an identical request on the wire means, without serializing every check to compare it.
    private readonly ConcurrentDictionary<CheckRequest, CheckResponse> _checks = new();
    private Action? _onClosed;
    private PluginProcess? _process;
    private Task<PluginProcess>? _early;
    private PluginSchema? _schema;
    private object? _configuredFor;
    private int _starts;
    private int _references = 1;
    private bool _disposed;

    public PluginOptions Options { get; } = options;

    public PluginSchema? Schema => _schema;

    /// <summary>What to do when the last reference is released, before the process stops (set once it has an operation).</summary>
    public void OnClosed(Action onClosed) => _onClosed = onClosed;

    /// <summary>False once a background start (<see cref="BeginStart"/>) failed, or its process died while it waited for an operation.</summary>
    public bool IsUsableStandby => _early is { } early && (!early.IsCompleted || early is { IsCompletedSuccessfully: true, Result.IsFaulted: false });

    /// <summary>Completes when the background start has finished, either way.</summary>
    public Task StartedAsync() => _early is { } early ? ((Task)early).ContinueWith(static _ => { }, TaskScheduler.Default) : Task.CompletedTask;

    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Drops one provider's reference; the last one stops the process.</summary>
    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _onClosed?.Invoke();
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts the process in the background, before any call needs it (the operation is opening). It counts as the
    /// operation's first start; the first call waits for it, and a start that failed fails that call as a start on
    /// first use would.
    /// </summary>
    public void BeginStart()
    {
        if (!_starting.Wait(0))
        {
            return;
        }

        try
        {
            if (!_disposed && _process is null && _early is null && _starts == 0)
            {
                _starts++;
                // Off the caller's thread: a sandbox's launcher prepares its cgroup and mounts before the spawn.
                _early = Task.Run(() => StartAsync(_closing.Token));
                // A start that fails and is then never taken (a standby its factory never hands out) is not an unobserved exception.
                _early.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>The running process, configured for <paramref name="owner"/>'s <paramref name="context"/>.</summary>
    public async Task<PluginProcess> ProcessAsync(object owner, ProviderContext context, CancellationToken cancellationToken)
    {
        if (_process is { IsFaulted: false } running && ReferenceEquals(Volatile.Read(ref _configuredFor), owner))
        {
            return running;
        }

        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_process is not { IsFaulted: false })
            {
                if (_process is { } faulted)
                {
                    _process = null;
                    await faulted.DisposeAsync().ConfigureAwait(false);
                }

                _process = _early is { } early
                    ? await TakeEarlyStartAsync(early, cancellationToken).ConfigureAwait(false)
                    : await StartAgainAsync(cancellationToken).ConfigureAwait(false);
                _configuredFor = null;
            }

            if (!ReferenceEquals(_configuredFor, owner))
            {
                var configure = new ConfigureRequest(context.StackName, context.ProjectName, context.ProjectDirectory, context.Config, context.IsPreview);
                await _process.InvokeAsync(PluginProtocol.Configure, configure, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _configuredFor, owner);
            }

            return _process;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary><c>check</c>, answered from this operation's earlier identical check when there was one.</summary>
    public async Task<CheckResponse> CheckAsync(object owner, ProviderContext context, CheckRequest request, CancellationToken cancellationToken)
    {
        if (_checks.TryGetValue(request, out var known))
        {
            return known;
        }

        var process = await ProcessAsync(owner, context, cancellationToken).ConfigureAwait(false);
        var response = await process.InvokeBatchedAsync<CheckResponse>(PluginProtocol.Check, request, cancellationToken).ConfigureAwait(false);
        _checks.TryAdd(request, response);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        // A start still under way is abandoned first, so a call waiting for it lets go of the gate.
        await _closing.CancelAsync().ConfigureAwait(false);
        await _starting.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_early is { } early)
            {
                _early = null;
                await StopEarlyStartAsync(early).ConfigureAwait(false);
            }

            if (_process is { } process)
            {
                _process = null;
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>
    /// The background start's process once it is up, or its failure. A call cancelled before the start finished
    /// leaves it for the next call; once finished, it is taken, so that a process it started is never dropped. A
    /// process that died before its first call (a standby that waited long) is replaced by a fresh start, which does
    /// not count against the operation's restarts: the dead one served nothing.
    /// </summary>
    private async Task<PluginProcess> TakeEarlyStartAsync(Task<PluginProcess> early, CancellationToken cancellationToken)
    {
        await ((Task)early).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!early.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        _early = null;
        var process = await early.ConfigureAwait(false);
        if (!process.IsFaulted)
        {
            return process;
        }

        await process.DisposeAsync().ConfigureAwait(false);
        return await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<PluginProcess> StartAgainAsync(CancellationToken cancellationToken)
    {
        if (++_starts > PluginProvider.MaxStarts)
        {
            throw new PluginException(Options.Name, $"stopped after {PluginProvider.MaxStarts} starts in this operation; see its log for why it keeps failing.");
        }

        return StartAsync(cancellationToken);
    }

    /// <summary>Stops what a background start started; a start that failed or was abandoned left nothing to stop.</summary>
    private static async Task StopEarlyStartAsync(Task<PluginProcess> early)
    {
        PluginProcess process;
        try
        {
            process = await early.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return;
        }

        await process.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<PluginProcess> StartAsync(CancellationToken cancellationToken)
    {
        var process = await PluginProcess.StartAsync(Options, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!process.Info!.Has(PluginProtocol.ProviderCapability))
            {
                throw new PluginException(Options.Name,
                    $"is not a provider (capabilities: {string.Join(", ", process.Info.Capabilities)}); it cannot serve package '{package}'.");
            }

            var schema = await process.InvokeAsync<PluginSchema>(PluginProtocol.GetSchema, null, cancellationToken).ConfigureAwait(false);
            if (schema.Package != package)
            {
                throw new PluginException(Options.Name, $"serves package '{schema.Package}', not '{package}'; check the plugin named for '{package}'.");
            }

            _schema = schema;
            return process;
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
