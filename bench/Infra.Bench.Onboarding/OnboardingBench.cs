using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Infra.Bench.Tenants;
using Infra.Onboarding.Tests.Support;
using Infra.TestSupport;

namespace Infra.Bench.Onboarding;

/// <summary>
/// The onboarding service as a real process over HTTP, on a real PostgreSQL (throwaway unless
/// <c>INFRA_TEST_POSTGRES_URL</c> names one), with its GitOps commits pushed to a bare repository. Prints one figure
/// per line (<c>name value unit</c>); the machine and the run's shape go to stderr.
/// Arguments: <c>[burst sizes, comma-separated; default 50,200] [render fleet; default 500, 0 skips the render]</c>, or
/// <c>render [fleet]</c> for the GitOps render against <c>helm template</c> alone (no service, no PostgreSQL).
/// </summary>
internal static class OnboardingBench
{
    private const int Rps = 200;
    private static readonly TimeSpan s_readLoad = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(5);

    public static async Task<int> Main(string[] args)
    {
        await Console.Error.WriteLineAsync($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; " +
                                           $"load average {File.ReadAllText("/proc/loadavg").Trim()}");
        if (args is ["render", ..])
        {
            await PrintRenderRatioAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500);
            return 0;
        }

        var bursts = args.Length > 0 ? args[0].Split(',').Select(static s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [50, 200];
        var renderFleet = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;

        await using var server = await PostgresServer.StartAsync();
        await using var setup = await OnboardingSetup.CreateAsync(server);
        // One client drives the whole bench: the per-client rate limit would measure itself, not the service.
        var limits = new Dictionary<string, string?> { ["Onboarding:RateLimits:Burst"] = "10000", ["Onboarding:RateLimits:PerMinute"] = "1000000" };
        await using var service = await ServiceProcess.StartAsync(setup, workers: 8, settings: limits);
        using var client = service.ClientFor("operator", "onboarding-bench");
        client.Timeout = TimeSpan.FromMinutes(2);

        var run = Guid.NewGuid().ToString("N")[..6];
        await BurstAsync(client, [$"bw{run}"]); // warms up the JIT, the template stack and helm's page cache; not counted
        var ready = new List<string>();
        foreach (var size in bursts)
        {
            var ids = Enumerable.Range(0, size).Select(i => $"b{size}{run}-{i}").ToList();
            var (elapsed, toReady) = await BurstAsync(client, ids);
            Figures.Print($"onboarding.burst{size}.throughput", size / elapsed.TotalMinutes, "tenants/min");
            Figures.Print($"onboarding.burst{size}.request_to_ready.p50", Figures.Percentile(toReady, 50), "s");
            Figures.Print($"onboarding.burst{size}.request_to_ready.p95", Figures.Percentile(toReady, 95), "s");
            ready.AddRange(ids);
        }

        // The baseline, under the same load a moment before: the same client, the same open loop, against the
        // service's cheapest route (no token, no database), so what the machine's own latency is shows beside the GET's.
        // Each route is read for s_warmUp first, uncounted: right after the bursts the service is still compiling the
        // bursts' hot methods at tier 1 (up to a core for tens of seconds, by dotnet-counters), and a route's own first
        // reads fill pools and caches. The figure is the steady state at 200 requests a second.
        await ReadLatencyAsync(client, ["/healthz/live"], static (_, _) => { }, s_warmUp);
        var baseline = await ReadLatencyAsync(client, ["/healthz/live"], static (_, _) => { }, s_readLoad);
        Figures.Print($"onboarding.healthz_live.p50_at_{Rps}rps", Figures.Percentile(baseline, 50), "ms");
        Figures.Print($"onboarding.healthz_live.p99_at_{Rps}rps", Figures.Percentile(baseline, 99), "ms");
        string[] tenantPaths = [.. ready.Select(static id => $"/v1/tenants/{id}")];
        await ReadLatencyAsync(client, tenantPaths, CheckReady, s_warmUp);
        var reads = await ReadLatencyAsync(client, tenantPaths, CheckReady, s_readLoad);
        Figures.Print($"onboarding.get_tenant.p50_at_{Rps}rps", Figures.Percentile(reads, 50), "ms");
        Figures.Print($"onboarding.get_tenant.p99_at_{Rps}rps", Figures.Percentile(reads, 99), "ms");
        Figures.Print("onboarding.service.peak_rss", PeakRssMegabytes(service.ProcessId), "MB");

        if (renderFleet > 0)
        {
            await PrintRenderRatioAsync(renderFleet);
        }

        return 0;
    }

    private static void CheckReady(string path, string body)
    {
        using var tenant = JsonDocument.Parse(body);
        if (tenant.RootElement.GetProperty("status").GetString() != "ready")
        {
            throw new InvalidOperationException($"GET {path}: {body}");
        }
    }

    private static async Task PrintRenderRatioAsync(int fleet)
    {
        var ratio = await GitOpsBenchmarks.RenderRatioAsync(TenantKubernetesConfig.Config, fleet);
        Figures.Print($"gitops.tenants{fleet}.render_over_helm_template", ratio, "x");
    }

    /// <summary>Posts every tenant at once, then watches the list until all are ready; returns the burst's time and each tenant's request-to-ready seconds.</summary>
    private static async Task<(TimeSpan Elapsed, List<double> ToReady)> BurstAsync(HttpClient client, IReadOnlyList<string> ids)
    {
        var clock = Stopwatch.StartNew();
        var requested = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var posts = ids.Select(async id =>
        {
            var at = clock.Elapsed;
            var response = await client.OnboardAsync(id, "standard");
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"POST /v1/tenants {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            lock (requested)
            {
                requested[id] = at;
            }
        });
        await Task.WhenAll(posts);

        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var readyAt = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var deadline = TimeSpan.FromMinutes(30);
        while (readyAt.Count < wanted.Count)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{wanted.Count - readyAt.Count} of {wanted.Count} tenants were not ready after {deadline}");
            }

            await Task.Delay(250);
            var now = clock.Elapsed;
            foreach (var (id, status) in await StatusesAsync(client))
            {
                if (!wanted.Contains(id) || readyAt.ContainsKey(id))
                {
                    continue;
                }

                if (status == "failed")
                {
                    throw new InvalidOperationException($"tenant {id} failed: {await client.GetStringAsync($"/v1/tenants/{id}")}");
                }

                if (status == "ready")
                {
                    readyAt[id] = now;
                }
            }
        }

        return (readyAt.Values.Max(), [.. ids.Select(id => (readyAt[id] - requested[id]).TotalSeconds)]);
    }

    private static async Task<List<(string Id, string Status)>> StatusesAsync(HttpClient client)
    {
        var all = new List<(string, string)>();
        string? cursor = null;
        do
        {
            using var page = JsonDocument.Parse(await client.GetStringAsync($"/v1/tenants?limit=500{(cursor is null ? string.Empty : $"&cursor={cursor}")}"));
            all.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(static item => (item.GetProperty("id").GetString()!, item.GetProperty("status").GetString()!)));
            cursor = page.RootElement.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.RootElement.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);

        return all;
    }

    /// <summary>
    /// Open-loop GETs of <paramref name="paths"/> in turn at <see cref="Rps"/> requests a second: a dedicated thread
    /// paces them and hands each to the thread pool, so each starts on schedule whatever the others (and the client's
    /// thread pool) do. Returns each request's latency in ms, from its send to its body read; bodies are checked after.
    /// </summary>
    private static async Task<double[]> ReadLatencyAsync(HttpClient client, string[] paths, Action<string, string> check, TimeSpan duration)
    {
        var count = (int)(Rps * duration.TotalSeconds);
        var latencies = new double[count];
        var requests = new Task[count];
        var clock = Stopwatch.StartNew();
        var pacer = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var wait = TimeSpan.FromSeconds((double)i / Rps) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }

                var path = paths[i % paths.Length];
                var index = i;
                requests[i] = Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await client.GetAsync(path);
                    var body = await response.Content.ReadAsStringAsync();
                    latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
                    }

                    check(path, body);
                });
            }
        })
        { IsBackground = true, Name = "open-loop pacer", Priority = ThreadPriority.AboveNormal };
        pacer.Start();
        await Task.Run(pacer.Join);
        await Task.WhenAll(requests);
        await Console.Error.WriteLineAsync($"reads of {paths[0]}{(paths.Length > 1 ? " and others" : string.Empty)}: {count} in {clock.Elapsed.TotalSeconds:0.0} s; " +
                                           $"per second, requests over 20 ms and the slowest: {string.Join(' ', latencies.Chunk(Rps).Select(static s => $"{s.Count(static l => l > 20)}/{s.Max():0}"))}");
        return latencies;
    }

    /// <summary>The service's peak resident set (VmHWM), in MB.</summary>
    private static double PeakRssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(static l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
