using Infra.Plugins.Runtime;
using Infra.Plugins.Protocol;
using Infra.Providers;

namespace Infra.Plugins.Providers;

/// <summary>
/// An <see cref="IResourceProvider"/> served by a plugin process: the engine's in-process contract, one call per
/// JSON-RPC request. The process starts on the first call (handshake, <c>getSchema</c>, <c>configure</c>), serves
/// every call of one operation on one stack concurrently, and stops when the engine disposes the provider at the end
/// of the operation. After a fault (crash, malformed output) the next call starts a fresh process, at most
/// <see cref="MaxStarts"/> times per operation, so one bad call fails only the resources it was serving.
/// </summary>
public sealed class PluginProvider : IResourceProvider, IAsyncDisposable
{
    /// <summary>How many processes one operation may start before calls fail fast.</summary>
    public const int MaxStarts = 4;

    private readonly PluginOptions _options;
    private readonly ProviderContext _context;
    private readonly SemaphoreSlim _starting = new(1, 1);
    private PluginProcess? _process;
    private PluginSchema? _schema;
    private int _starts;
    private bool _disposed;

    /// <summary>Creates the provider; nothing starts until the first call.</summary>
    /// <param name="package">The package the plugin must serve.</param>
    /// <param name="options">How to run the plugin.</param>
    /// <param name="context">The stack, project and config namespace sent in <c>configure</c>.</param>
    public PluginProvider(string package, PluginOptions options, ProviderContext context)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(package);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        Package = package;
        _options = options;
        _context = context;
    }

    /// <inheritdoc/>
    public string Package { get; }

    /// <summary>What the plugin serves, from <c>getSchema</c> (starts the plugin if needed).</summary>
    public async Task<PluginSchema> GetSchemaAsync(CancellationToken cancellationToken)
    {
        await ProcessAsync(cancellationToken).ConfigureAwait(false);
        return _schema!;
    }

    /// <summary>The running process's handshake, starting it if needed.</summary>
    public async Task<PluginInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        (await ProcessAsync(cancellationToken).ConfigureAwait(false)).Info!;

    /// <inheritdoc/>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) =>
        CallAsync<CheckResponse>(PluginProtocol.Check, request, cancellationToken);

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) =>
        CallAsync<DiffResponse>(PluginProtocol.Diff, request, cancellationToken);

    /// <inheritdoc/>
    public Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken) =>
        CallAsync<CreateResponse>(PluginProtocol.Create, request, cancellationToken);

    /// <inheritdoc/>
    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
        CallAsync<ReadResponse>(PluginProtocol.Read, request, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken) =>
        CallAsync<UpdateResponse>(PluginProtocol.Update, request, cancellationToken);

    /// <inheritdoc/>
    public async Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var process = await ProcessAsync(cancellationToken).ConfigureAwait(false);
        await process.InvokeAsync(PluginProtocol.Delete, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the plugin process.</summary>
    public async ValueTask DisposeAsync()
    {
        await _starting.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
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

        _starting.Dispose();
    }

    private async Task<TResult> CallAsync<TResult>(string method, object request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var process = await ProcessAsync(cancellationToken).ConfigureAwait(false);
        return await process.InvokeAsync<TResult>(method, request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PluginProcess> ProcessAsync(CancellationToken cancellationToken)
    {
        if (_process is { IsFaulted: false } running)
        {
            return running;
        }

        await _starting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_process is { IsFaulted: false } started)
            {
                return started;
            }

            if (_process is { } faulted)
            {
                _process = null;
                await faulted.DisposeAsync().ConfigureAwait(false);
            }

            if (++_starts > MaxStarts)
            {
                throw new PluginException(_options.Name, $"stopped after {MaxStarts} starts in this operation; see its log for why it keeps failing.");
            }

            _process = await StartAsync(cancellationToken).ConfigureAwait(false);
            return _process;
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task<PluginProcess> StartAsync(CancellationToken cancellationToken)
    {
        var process = await PluginProcess.StartAsync(_options, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!process.Info!.Has(PluginProtocol.ProviderCapability))
            {
                throw new PluginException(_options.Name,
                    $"is not a provider (capabilities: {string.Join(", ", process.Info.Capabilities)}); it cannot serve package '{Package}'.");
            }

            var schema = await process.InvokeAsync<PluginSchema>(PluginProtocol.GetSchema, null, cancellationToken).ConfigureAwait(false);
            if (schema.Package != Package)
            {
                throw new PluginException(_options.Name, $"serves package '{schema.Package}', not '{Package}'; check the plugin named for '{Package}'.");
            }

            var configure = new ConfigureRequest(_context.StackName, _context.ProjectName, _context.ProjectDirectory, _context.Config, _context.IsPreview);
            await process.InvokeAsync(PluginProtocol.Configure, configure, cancellationToken).ConfigureAwait(false);
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
