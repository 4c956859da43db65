using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Infra.Values;

namespace Infra.Providers.Helm.Rendering;

/// <summary>
/// Charts already rendered, by content. An <c>up</c> checks each release twice (for its preview, then again when
/// it applies that plan) and <c>helm template</c> is the slowest step of a tenant's up, so the second check reuses
/// the first render. The key is a SHA-256 of every file of the chart folder, the helm binary, the Kubernetes version
/// and the release's name, namespace and values: a changed chart or value renders again. Values holding secrets
/// (cluster mode) are never cached. Bounded, oldest first out; safe for the many stacks of one process.
/// </summary>
internal sealed class RenderCache(int capacity = 64)
{
    private readonly ConcurrentDictionary<string, ImmutableArray<PropertyMap>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public async Task<ImmutableArray<PropertyMap>> GetOrRenderAsync(
        ReleaseSpec release, string chartPath, string helm, Func<Task<ImmutableArray<PropertyMap>>> render, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render);
        if (release.Values.ContainsSecrets)
        {
            return await render().ConfigureAwait(false);
        }

        var key = await KeyAsync(release, chartPath, helm, cancellationToken).ConfigureAwait(false);
        if (_entries.TryGetValue(key, out var rendered))
        {
            return rendered;
        }

        rendered = await render().ConfigureAwait(false);
        if (_entries.TryAdd(key, rendered))
        {
            _order.Enqueue(key);
            while (_order.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _entries.TryRemove(oldest, out _);
            }
        }

        return rendered;
    }

    private static async Task<string> KeyAsync(ReleaseSpec release, string chartPath, string helm, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        Add(helm);
        Add(ChartRenderer.KubeVersion);
        Add(release.Name);
        Add(release.Namespace);
        Add(PropertyJson.ToJson(release.Values, PropertyJsonMode.Plaintext));
        foreach (var file in Directory.EnumerateFiles(chartPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            Add(Path.GetRelativePath(chartPath, file));
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            Add(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            hash.AppendData(bytes);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
