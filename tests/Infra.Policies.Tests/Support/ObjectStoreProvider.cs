using System.Collections.Concurrent;
using Infra.Providers;
using Infra.Values;

namespace Infra.Policies.Tests.Support;

/// <summary>
/// A tiny provider that keeps objects in memory, standing in for the world outside the engine: tests read
/// <see cref="Objects"/> to see exactly what an update changed, and <see cref="Calls"/> to see whether it tried.
/// </summary>
internal sealed class ObjectStore
{
    /// <summary>The objects that exist, by ID (the URN), with the inputs they were created or updated with.</summary>
    public ConcurrentDictionary<string, PropertyMap> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>How many creates, updates and deletes ran (previews excluded).</summary>
    public int Calls => _calls;

    private int _calls;

    public IProviderFactory Serve(string package) => new ProviderFactory(package, _ => new Provider(package, this));

    private sealed class Provider(string package, ObjectStore store) : IResourceProvider
    {
        public string Package => package;

        public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(CheckResponse.Ok(request.NewInputs));

        public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(DiffResponse.FromInputs(request.OldInputs, request.NewInputs, new HashSet<string>()));

        public Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
        {
            if (!request.Preview)
            {
                Interlocked.Increment(ref store._calls);
                store.Objects[request.Urn] = request.Inputs;
            }

            return Task.FromResult(new CreateResponse(request.Urn, request.Inputs));
        }

        public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(store.Objects.TryGetValue(request.Id ?? request.Urn, out var inputs)
                ? ReadResponse.Found(request.Id ?? request.Urn, inputs, inputs)
                : ReadResponse.NotFound);

        public Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
        {
            if (!request.Preview)
            {
                Interlocked.Increment(ref store._calls);
                store.Objects[request.Id] = request.NewInputs;
            }

            return Task.FromResult(new UpdateResponse(request.NewInputs));
        }

        public Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref store._calls);
            store.Objects.TryRemove(request.Id, out _);
            return Task.CompletedTask;
        }
    }
}

/// <summary>A resource of any type, declared from a property bag.</summary>
internal sealed class Declared(string type, string name, PropertyMap inputs, CustomResourceOptions? options = null)
    : CustomResource(type, name, inputs, options);
