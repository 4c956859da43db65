using Infra.Providers;
using Infra.Values;

namespace Infra.Testing;

/// <summary>A provider for every package that delegates creates and updates to <see cref="IMocks"/>.</summary>
internal sealed class MockProvider(IMocks mocks) : IResourceProvider
{
    public string Package => "*";

    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(CheckResponse.Ok(request.NewInputs));

    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(DiffResponse.FromInputs(request.OldInputs, request.NewInputs, replaceOnChange: new HashSet<string>()));

    public async Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        if (request.Preview)
        {
            return new CreateResponse(string.Empty, request.Inputs);
        }

        var result = await mocks.NewResourceAsync(new MockResourceArgs(request.Urn, request.Type, Urn.NameOf(request.Urn), request.Inputs, null), cancellationToken)
            .ConfigureAwait(false);
        return new CreateResponse(result.Id, result.Outputs);
    }

    public Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.Id is null || request.Outputs is null
            ? ReadResponse.NotFound
            : ReadResponse.Found(request.Id, request.Inputs ?? PropertyMap.Empty, request.Outputs));

    public async Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.Preview)
        {
            return new UpdateResponse(request.NewInputs);
        }

        var result = await mocks.NewResourceAsync(new MockResourceArgs(request.Urn, request.Type, Urn.NameOf(request.Urn), request.NewInputs, request.Id), cancellationToken)
            .ConfigureAwait(false);
        return new UpdateResponse(result.Outputs);
    }

    public Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
}
