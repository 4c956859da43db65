using System.Collections.Concurrent;

namespace Infra.TestSupport.ZeroDowntime;

/// <summary>What the load generator saw.</summary>
/// <param name="Sent">Requests sent.</param>
/// <param name="Failed">Requests answered with an error status or refused (connection reset or refused).</param>
/// <param name="Dropped">Requests never answered within the timeout.</param>
/// <param name="ByBody">Successful answers by body (the version that served them).</param>
/// <param name="Last">The bodies of the last answers, oldest first.</param>
public sealed record LoadResult(long Sent, long Failed, long Dropped, IReadOnlyDictionary<string, long> ByBody, IReadOnlyList<string> Last);

/// <summary>
/// Sends GET requests without pause from several workers over keep-alive connections, as browsers and API clients
/// do, until stopped. Every request is accounted for: answered 200 (by body), failed, or dropped.
/// </summary>
public sealed class LoadGenerator(Uri target, int workers) : IAsyncDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, long> _byBody = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _last = new();
    private Task[] _workers = [];
    private long _sent;
    private long _failed;
    private long _dropped;

    public long Sent => Interlocked.Read(ref _sent);

    public void Start() => _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];

    /// <summary>Stops sending; every request in flight is finished and counted first.</summary>
    public async Task<LoadResult> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
        return new LoadResult(_sent, _failed, _dropped, new Dictionary<string, long>(_byBody, StringComparer.Ordinal), [.. _last]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _sent);
            try
            {
                // Never cancelled by Stop: a request once sent is always answered or counted as dropped.
                using var response = await _client.GetAsync(target, CancellationToken.None).ConfigureAwait(false);
                var body = (await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false)).Trim();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _failed);
                    continue;
                }

                _byBody.AddOrUpdate(body, 1, static (_, n) => n + 1);
                _last.Enqueue(body);
                while (_last.Count > 200)
                {
                    _last.TryDequeue(out _);
                }
            }
            catch (TaskCanceledException)
            {
                Interlocked.Increment(ref _dropped);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
