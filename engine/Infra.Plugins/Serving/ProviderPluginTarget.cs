using System.Collections.Immutable;
using System.Text.Json;
using Infra.Plugins.Protocol;
using Infra.Providers;
using StreamJsonRpc;

namespace Infra.Plugins.Serving;

/// <summary>
/// Serves any in-process <see cref="IProviderFactory"/> over the protocol, so an existing C# provider runs as a
/// plugin: <c>configure</c> creates the provider from the factory, and each resource method forwards to it. An
/// exception from the provider becomes an <c>internal</c> error (the call did not happen); one from
/// <see cref="PluginServer.Error"/> keeps its code.
/// </summary>
public sealed class ProviderPluginTarget : IAsyncDisposable
{
    private readonly IProviderFactory _factory;
    private readonly string _name;
    private readonly string _version;
    private readonly PluginSchema _schema;
    private IResourceProvider? _provider;

    /// <summary>Serves <paramref name="factory"/> as the plugin <paramref name="name"/>@<paramref name="version"/>.</summary>
    /// <param name="factory">Creates the provider on <c>configure</c>.</param>
    /// <param name="name">The plugin's name.</param>
    /// <param name="version">The plugin's version.</param>
    /// <param name="schema">What <c>getSchema</c> answers; by default the package with no declared types.</param>
    public ProviderPluginTarget(IProviderFactory factory, string name, string version, PluginSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _name = name;
        _version = version;
        _schema = schema ?? new PluginSchema(factory.Package, ImmutableDictionary<string, ResourceTypeSchema>.Empty);
    }

    /// <summary><c>handshake</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Handshake)]
    public PluginInfo Handshake(HandshakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Protocol == PluginProtocol.Version
            // "preview": every in-process provider predicts its outputs at preview (IResourceProvider's contract), so
            // the provider it wraps gets the preview calls it would get in process.
            ? new PluginInfo(_name, _version, PluginProtocol.Version,
                [PluginProtocol.ProviderCapability, PluginProtocol.BatchCapability, PluginProtocol.PreviewCapability])
            : throw PluginServer.Error(PluginErrorCodes.ProtocolMismatch,
                $"this plugin speaks {PluginProtocol.Version}, not {request.Protocol}", new { supported = new[] { PluginProtocol.Version } });
    }

    /// <summary><c>getSchema</c>.</summary>
    [JsonRpcMethod(PluginProtocol.GetSchema)]
    public PluginSchema GetSchema() => _schema;

    /// <summary><c>configure</c>: creates the provider for the stack.</summary>
    [JsonRpcMethod(PluginProtocol.Configure)]
    public void Configure(ConfigureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _provider = Guard(() => _factory.Create(new ProviderContext(request.StackName, request.ProjectName, request.ProjectDirectory, request.Config, request.IsPreview)));
    }

    /// <summary><c>check</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Check)]
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) =>
        GuardAsync(() => Provider.CheckAsync(request, cancellationToken));

    /// <summary><c>diff</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Diff)]
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) =>
        GuardAsync(() => Provider.DiffAsync(request, cancellationToken));

    /// <summary><c>create</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Create)]
    public Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken) =>
        GuardAsync(() => Provider.CreateAsync(request, cancellationToken));

    /// <summary><c>read</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Read)]
    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
        GuardAsync(() => Provider.ReadAsync(request, cancellationToken));

    /// <summary><c>update</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Update)]
    public Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken) =>
        GuardAsync(() => Provider.UpdateAsync(request, cancellationToken));

    /// <summary><c>delete</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Delete)]
    public Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            await Provider.DeleteAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <summary><c>batch</c>: each call runs as its method alone would, concurrently, and is answered on its own.</summary>
    [JsonRpcMethod(PluginProtocol.Batch)]
    public async Task<BatchResponse> BatchAsync(BatchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Calls.IsDefault)
        {
            throw PluginServer.Error(PluginErrorCodes.InvalidParams, "params lack 'calls'", new { property = "calls" });
        }

        var results = await Task.WhenAll(request.Calls.Select(call => BatchItemAsync(call, cancellationToken))).ConfigureAwait(false);
        return new BatchResponse([.. results]);
    }

    private async Task<object> BatchItemAsync(BatchCall call, CancellationToken cancellationToken)
    {
        try
        {
            object? result = call.Method switch
            {
                PluginProtocol.Check => await CheckAsync(Params<CheckRequest>(call), cancellationToken).ConfigureAwait(false),
                PluginProtocol.Diff => await DiffAsync(Params<DiffRequest>(call), cancellationToken).ConfigureAwait(false),
                PluginProtocol.Create => await CreateAsync(Params<CreateRequest>(call), cancellationToken).ConfigureAwait(false),
                PluginProtocol.Read => await ReadAsync(Params<ReadRequest>(call), cancellationToken).ConfigureAwait(false),
                PluginProtocol.Update => await UpdateAsync(Params<UpdateRequest>(call), cancellationToken).ConfigureAwait(false),
                PluginProtocol.Delete => await DeleteItemAsync(Params<DeleteRequest>(call), cancellationToken).ConfigureAwait(false),
                _ => throw PluginServer.Error(PluginErrorCodes.MethodNotFound, $"a batch cannot carry '{call.Method}'"),
            };
            return new BatchItemResult(result);
        }
        catch (LocalRpcException ex)
        {
            return new BatchItemError(new PluginErrorObject(ex.ErrorCode, ex.Message, ex.ErrorData));
        }
    }

    private async Task<object?> DeleteItemAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        await DeleteAsync(request, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>An item's params as its method's message; params that do not bind fail that item as <c>invalid params</c>.</summary>
    private static T Params<T>(BatchCall call)
    {
        try
        {
            return call.Params is JsonElement element
                ? element.Deserialize<T>(PluginJson.Options) ?? throw new JsonException($"Expected a {typeof(T).Name}, got null.")
                : throw new JsonException("params must be an object");
        }
        catch (JsonException ex)
        {
            throw PluginServer.Error(PluginErrorCodes.InvalidParams, ex.Message);
        }
    }

    /// <summary>Disposes the provider, as the engine would at the end of the operation.</summary>
    public async ValueTask DisposeAsync()
    {
        switch (_provider)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private IResourceProvider Provider =>
        _provider ?? throw PluginServer.Error(PluginErrorCodes.NotConfigured, "call configure before any resource method");

    private static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is not LocalRpcException and not OperationCanceledException)
        {
            throw Internal(ex);
        }
    }

    private static async Task<T> GuardAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not LocalRpcException and not OperationCanceledException)
        {
            throw Internal(ex);
        }
    }

    private static LocalRpcException Internal(Exception ex) => PluginServer.Error(
        PluginErrorCodes.Internal,
        ex is InfraException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}",
        new { type = ex.GetType().Name });
}
