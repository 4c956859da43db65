using System.Collections.Concurrent;
using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Providers.Helm.Rendering;

/// <summary>
/// Charts already rendered in this process, by <see cref="RenderDigest"/>. An <c>up</c> checks each release twice
/// (for its preview, then again when it applies that plan) and <c>helm template</c> is the slowest step of a tenant's
/// up, so the second check reuses the first render. Values holding secrets (cluster mode) are never cached: the
/// caller renders those itself. Bounded, oldest first out; safe for the many stacks of one process.
/// </summary>
internal sealed class RenderCache(int capacity = 64)
{
    private readonly ConcurrentDictionary<string, ImmutableArray<PropertyMap>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public async Task<ImmutableArray<PropertyMap>> GetOrRenderAsync(string digest, Func<Task<ImmutableArray<PropertyMap>>> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        if (_entries.TryGetValue(digest, out var rendered))
        {
            return rendered;
        }

        rendered = await render().ConfigureAwait(false);
        if (_entries.TryAdd(digest, rendered))
        {
            _order.Enqueue(digest);
            while (_order.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _entries.TryRemove(oldest, out _);
            }
        }

        return rendered;
    }
}
