using Infra.Providers;

namespace Infra.Deployment;

/// <summary>
/// A provider whose calls that reach the world (create, read, update, delete) first pass the operation's lock fence,
/// so a run that lost its stack's lock starts no new provider call, refresh reads included. Check and diff only
/// compute over the inputs they are given and pass straight through.
/// </summary>
internal sealed class FencedProvider(IResourceProvider inner, Func<CancellationToken, Task> fence) : IResourceProvider, IDeleteCheck
{
    /// <inheritdoc/>
    public string Package => inner.Package;

    /// <inheritdoc/>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) => inner.CheckAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<DiffResponse> DiffAsync(DiffRequest request, CancellationToken cancellationToken) => inner.DiffAsync(request, cancellationToken);

    /// <inheritdoc/>
    public async Task<CreateResponse> CreateAsync(CreateRequest request, CancellationToken cancellationToken)
    {
        await fence(cancellationToken).ConfigureAwait(false);
        return await inner.CreateAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ReadResponse> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        await fence(cancellationToken).ConfigureAwait(false);
        return await inner.ReadAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<UpdateResponse> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        await fence(cancellationToken).ConfigureAwait(false);
        return await inner.UpdateAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        await fence(cancellationToken).ConfigureAwait(false);
        await inner.DeleteAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Passes the check on, fenced, when the provider has one; nothing blocks otherwise.</summary>
    public async Task<string?> CheckDeleteAsync(DeleteCheckRequest request, CancellationToken cancellationToken)
    {
        if (inner is not IDeleteCheck check)
        {
            return null;
        }

        await fence(cancellationToken).ConfigureAwait(false);
        return await check.CheckDeleteAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
