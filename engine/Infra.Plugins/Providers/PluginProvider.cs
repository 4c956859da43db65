using Infra.Plugins.Protocol;
using Infra.Plugins.Runtime;
using Infra.Providers;

namespace Infra.Plugins.Providers;

/// <summary>
/// An <see cref="IResourceProvider"/> served by a plugin process: the engine's in-process contract, one call per
/// JSON-RPC request, or several in one <c>batch</c> message when the plugin serves it. The process starts when the
/// operation opens (<see cref="PluginProviderFactory.WarmUp"/>) or else on the first call (handshake, <c>getSchema</c>,
/// <c>configure</c>), serves
/// every call of one operation on one stack concurrently, and stops when the engine disposes the provider at the end
/// of the operation. Providers made by <see cref="PluginProviderFactory"/> for one operation (an up's preview and its
/// apply) share one process. After a fault (crash, malformed output) the next call starts a fresh process, at most
/// <see cref="MaxStarts"/> times per operation, so one bad call fails only the resources it was serving.
/// </summary>
public sealed class PluginProvider : IResourceProvider, IAsyncDisposable
{
    /// <summary>How many processes one operation may start before calls fail fast.</summary>
    public const int MaxStarts = 4;

    private readonly PluginConnection _connection;
    private readonly ProviderContext _context;
    private int _disposed;

    /// <summary>Creates the provider with a process of its own; nothing starts until the first call.</summary>
    /// <param name="package">The package the plugin must serve.</param>
    /// <param name="options">How to run the plugin.</param>
    /// <param name="context">The stack, project and config namespace sent in <c>configure</c>.</param>
    public PluginProvider(string package, PluginOptions options, ProviderContext context)
        : this(package, new PluginConnection(package, options ?? throw new ArgumentNullException(nameof(options))), context)
    {
    }

    internal PluginProvider(string package, PluginConnection connection, ProviderContext context)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(package);
        ArgumentNullException.ThrowIfNull(context);
        Package = package;
        _connection = connection;
        _context = context;
    }

    /// <inheritdoc/>
    public string Package { get; }

    /// <summary>What the plugin serves, from <c>getSchema</c> (starts the plugin if needed).</summary>
    public async Task<PluginSchema> GetSchemaAsync(CancellationToken cancellationToken)
    {
        await ProcessAsync(cancellationToken).ConfigureAwait(false);
        return _connection.Schema!;
    }

    /// <summary>The running process's handshake, starting it if needed.</summary>
    public async Task<PluginInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        (await ProcessAsync(cancellationToken).ConfigureAwait(false)).Info!;

    /// <inheritdoc/>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        return _connection.CheckAsync(this, _context, request, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) =>
        CallAsync<DiffResponse>(PluginProtocol.Diff, request, batched: true, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// A preview's create reaches only a plugin that announced <see cref="PluginProtocol.PreviewCapability"/>. For any
    /// other the engine predicts it, as Pulumi does for a provider without <c>supportsPreview</c>: the outputs are the
    /// checked inputs (secrets and unknowns kept), every other output and the ID unknown.
    /// </remarks>
    public async Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Preview && !await PredictsPreviewsAsync(cancellationToken).ConfigureAwait(false))
        {
            return new CreateResponse(string.Empty, request.Inputs);
        }

        return await CallAsync<CreateResponse>(PluginProtocol.Create, request, batched: request.Preview, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
        CallAsync<ReadResponse>(PluginProtocol.Read, request, batched: true, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// As for <see cref="CreateAsync"/>: a plugin without <see cref="PluginProtocol.PreviewCapability"/> gets no preview
    /// update, and its predicted outputs are the new inputs, every other output unknown.
    /// </remarks>
    public async Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Preview && !await PredictsPreviewsAsync(cancellationToken).ConfigureAwait(false))
        {
            return new UpdateResponse(request.NewInputs);
        }

        return await CallAsync<UpdateResponse>(PluginProtocol.Update, request, batched: request.Preview, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var process = await ProcessAsync(cancellationToken).ConfigureAwait(false);
        await process.InvokeAsync(PluginProtocol.Delete, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the plugin process once no other provider of the operation uses it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _connection.ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One call. Calls without side effects (check, diff, read, and a preview's create and update) may share a
    /// <c>batch</c> message; a call that changes something goes alone, so a slow create never holds up another's answer
    /// and its fault semantics are those of protocol version 1.
    /// </summary>
    private async Task<TResult> CallAsync<TResult>(string method, object? request, bool batched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var process = await ProcessAsync(cancellationToken).ConfigureAwait(false);
        return batched
            ? await process.InvokeBatchedAsync<TResult>(method, request, cancellationToken).ConfigureAwait(false)
            : await process.InvokeAsync<TResult>(method, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the running process (started if needed) announced <see cref="PluginProtocol.PreviewCapability"/>.</summary>
    private async Task<bool> PredictsPreviewsAsync(CancellationToken cancellationToken) =>
        (await ProcessAsync(cancellationToken).ConfigureAwait(false)).Info!.Has(PluginProtocol.PreviewCapability);

    private Task<PluginProcess> ProcessAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        return _connection.ProcessAsync(this, _context, cancellationToken);
    }
}
