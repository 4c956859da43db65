using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Infra.Onboarding.Data;

/// <summary>
/// Tenant views kept in memory for <c>GET /v1/tenants/{id}</c>, so a read needs no round trip to PostgreSQL. Every
/// instance shares the database, so a view is only as good as the news of its changes: triggers on the tenants and
/// operations tables send the tenant's id on <see cref="OnboardingDatabase.TenantChangedChannel"/> at commit, and
/// <see cref="TenantChangeListener"/> drops it here. Views are kept only while that listener is connected; losing it
/// empties the cache and turns it off until it listens again, since changes made meanwhile would go unheard.
/// </summary>
internal sealed class TenantViewCache : IDisposable
{
    private readonly MemoryCache _views;
    private readonly TimeSpan _lifetime;
    private readonly bool _enabled;
    private readonly Lock _gate = new();
    private long _generation;
    private bool _listening;

    public TenantViewCache(IOptions<OnboardingOptions> options)
    {
        var settings = options.Value.TenantCache;
        _enabled = settings.Enabled && settings.Size > 0;
        _lifetime = settings.Lifetime;
        _views = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, settings.Size) });
    }

    /// <summary>Whether changes are being heard, so views may be kept.</summary>
    public bool IsListening
    {
        get
        {
            lock (_gate)
            {
                return _listening;
            }
        }
    }

    /// <summary>
    /// A count of the changes heard (and of listener starts and losses): read it before reading a view from the database,
    /// and hand it to <see cref="Add"/>, which refuses the view when a change arrived during the read.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string id, out TenantView? view) => _views.TryGetValue(id, out view);

    /// <summary>Keeps <paramref name="view"/>, read from the database after <paramref name="generation"/> was taken, unless a change was heard since.</summary>
    public void Add(string id, TenantView view, long generation)
    {
        lock (_gate)
        {
            if (_enabled && _listening && generation == _generation)
            {
                _views.Set(id, view, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _lifetime });
            }
        }
    }

    /// <summary>The tenant changed (here or in another instance): its view goes, and reads already under way are not kept.</summary>
    public void Invalidate(string id)
    {
        lock (_gate)
        {
            _generation++;
            _views.Remove(id);
        }
    }

    /// <summary>The listener now hears every change: start from empty, since changes before this moment went unheard.</summary>
    public void Listening() => Reset(listening: true);

    /// <summary>The listener lost its connection: forget everything and keep nothing until it listens again.</summary>
    public void Deaf() => Reset(listening: false);

    private void Reset(bool listening)
    {
        lock (_gate)
        {
            _generation++;
            _listening = listening;
            _views.Clear();
        }
    }

    public void Dispose() => _views.Dispose();
}
