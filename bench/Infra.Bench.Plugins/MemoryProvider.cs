using System.Collections.Concurrent;
using Infra.Providers;
using Infra.Values;

namespace Infra.Bench.Plugins;

/// <summary>The baseline: the same provider as Plugins/memory.mjs and memory.py, in process.</summary>
internal sealed class MemoryProvider : IResourceProvider
{
    private readonly ConcurrentDictionary<string, PropertyMap> _items = new(StringComparer.Ordinal);

    public string Package => "memory";

    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) => Task.FromResult(CheckResponse.Ok(request.NewInputs));

    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(DiffResponse.FromInputs(request.OldInputs, request.NewInputs, replaceOnChange: null));

    public Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        if (request.Preview)
        {
            return Task.FromResult(new CreateResponse(string.Empty, request.Inputs));
        }

        _items[request.Urn] = request.Inputs;
        return Task.FromResult(new CreateResponse(request.Urn, request.Inputs));
    }

    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.Id is { } id && _items.TryGetValue(id, out var found) ? ReadResponse.Found(id, found, found) : ReadResponse.NotFound);

    public Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        if (!request.Preview)
        {
            _items[request.Id] = request.NewInputs;
        }

        return Task.FromResult(new UpdateResponse(request.NewInputs));
    }

    public Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        _items.TryRemove(request.Id, out _);
        return Task.CompletedTask;
    }
}
