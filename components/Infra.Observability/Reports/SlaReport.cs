using Infra.Observability.Slo;

namespace Infra.Observability.Reports;

/// <summary>
/// Computes the SLA report from a Prometheus: per SLO and tenant, availability against the target, the error budget
/// used, the minutes that missed the objective, the worst stretches of them, and day-by-day figures for the chart.
/// <para>It reads the SLI's counters in two passes, so a month of 500 tenants stays cheap: the increase per hour over the
/// whole period (one range query for good and one for all events), then per minute only in the hours that had bad
/// events, for only the tenants that had them. An hour's figure is the counters' increase over it, so no event is
/// counted twice or lost between hours, and a minute is bad when its error ratio exceeds the error budget
/// (<c>1 - target</c>).</para>
/// </summary>
public sealed class SlaReport
{
    private static readonly TimeSpan s_hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan s_minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_longestMinuteQuery = TimeSpan.FromDays(1);
    private readonly PrometheusClient _prometheus;

    /// <summary>A report reading <paramref name="prometheus"/>.</summary>
    public SlaReport(PrometheusClient prometheus) => _prometheus = prometheus ?? throw new ArgumentNullException(nameof(prometheus));

    /// <summary>How many worst windows each entry lists.</summary>
    public int WorstWindowCount { get; init; } = 5;

    /// <summary>How many minute-level queries run at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>The period of a calendar month, UTC.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Month(int year, int month)
    {
        var start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        return (start, start.AddMonths(1));
    }

    /// <summary>The report for <paramref name="slos"/> from <paramref name="start"/> to <paramref name="end"/> (whole hours).</summary>
    /// <param name="slos">The SLOs.</param>
    /// <param name="start">The period's start, on the hour.</param>
    /// <param name="end">The period's end, on the hour.</param>
    /// <param name="tenant">Only this tenant (and only per-tenant SLOs); null for all.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <exception cref="ArgumentException">The period is not whole hours.</exception>
    /// <exception cref="PrometheusException">Prometheus refused a query or could not be reached.</exception>
    public async Task<SlaReportData> CreateAsync(IReadOnlyList<ServiceLevelObjectiveArgs> slos, DateTimeOffset start, DateTimeOffset end, string? tenant = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slos);
        if (end <= start || (start.ToUnixTimeSeconds() % 3600) != 0 || (end.ToUnixTimeSeconds() % 3600) != 0)
        {
            throw new ArgumentException($"the report's period must be whole hours with an end after its start; got {start:O} to {end:O}.", nameof(end));
        }

        var entries = new List<SlaEntry>();
        foreach (var slo in slos.Where(s => tenant is null || s.PerTenant))
        {
            var indicator = tenant is null ? slo.Indicator : slo.Indicator.Where(TenantLabels.Tenant, [tenant]);
            entries.AddRange(await EntriesAsync(slo, indicator, start, end, cancellationToken).ConfigureAwait(false));
        }

        return new SlaReportData { Start = start, End = end, Tenant = tenant, Entries = entries };
    }

    private async Task<IEnumerable<SlaEntry>> EntriesAsync(ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var hours = (int)((end - start) / s_hour);
        var goodTask = _prometheus.QueryRangeAsync(indicator.GoodIncrease("1h", slo.By), start + s_hour, end, s_hour, cancellationToken);
        var totalTask = _prometheus.QueryRangeAsync(indicator.TotalIncrease("1h", slo.By), start + s_hour, end, s_hour, cancellationToken);
        var hourly = Buckets(await goodTask.ConfigureAwait(false), await totalTask.ConfigureAwait(false), slo.By, start, s_hour, hours);

        // Minute pass: hours with bad events, as runs of consecutive hours, each asked for once for the groups bad in it.
        var badHours = new SortedDictionary<int, HashSet<string>>();
        foreach (var (key, series) in hourly)
        {
            for (var h = 0; h < hours; h++)
            {
                if (series.Total[h] - series.Good[h] > 0)
                {
                    (badHours.TryGetValue(h, out var keys) ? keys : badHours[h] = []).Add(key);
                }
            }
        }

        var minutes = new Dictionary<string, List<(DateTimeOffset End, double Good, double Total)>>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(Math.Max(1, Parallelism));
        var spans = Spans(badHours).Select(async span =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return (span, await MinutesAsync(slo, indicator, span, start, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        foreach (var (_, found) in await Task.WhenAll(spans).ConfigureAwait(false))
        {
            foreach (var (key, points) in found)
            {
                (minutes.TryGetValue(key, out var list) ? list : minutes[key] = []).AddRange(points);
            }
        }

        return hourly.OrderBy(static h => h.Key, StringComparer.Ordinal).Select(h =>
        {
            var windows = Windows(minutes.GetValueOrDefault(h.Key) ?? [], slo.ErrorBudget);
            return new SlaEntry
            {
                Slo = slo.Name,
                Service = slo.Service,
                Tenant = slo.PerTenant ? h.Value.Labels.GetValueOrDefault(TenantLabels.Tenant) : null,
                Target = slo.Target,
                GoodEvents = h.Value.Good.Sum(),
                TotalEvents = h.Value.Total.Sum(),
                BadMinutes = windows.Sum(static w => w.Minutes),
                WorstWindows = [.. windows.OrderByDescending(static w => w.BadEvents).ThenBy(static w => w.Start).Take(WorstWindowCount)],
                Days = Days(h.Value, start, hours, slo.ErrorBudget),
            };
        });
    }

    private async Task<Dictionary<string, List<(DateTimeOffset, double, double)>>> MinutesAsync(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, (int First, int Last, HashSet<string> Keys) span, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var restricted = slo.PerTenant ? indicator.Where(TenantLabels.Tenant, span.Keys.Select(static k => k.Split('\u0001')[0])) : indicator;
        var from = start + (span.First * s_hour) + s_minute;
        var to = start + ((span.Last + 1) * s_hour);
        var count = (int)((to - from) / s_minute) + 1;
        var good = _prometheus.QueryRangeAsync(restricted.GoodIncrease("1m", slo.By), from, to, s_minute, cancellationToken);
        var total = _prometheus.QueryRangeAsync(restricted.TotalIncrease("1m", slo.By), from, to, s_minute, cancellationToken);
        var buckets = Buckets(await good.ConfigureAwait(false), await total.ConfigureAwait(false), slo.By, from - s_minute, s_minute, count);
        return buckets.Where(b => span.Keys.Contains(b.Key)).ToDictionary(
            static b => b.Key,
            b => Enumerable.Range(0, count).Select(i => (from + (i * s_minute), b.Value.Good[i], b.Value.Total[i])).ToList(),
            StringComparer.Ordinal);
    }

    // Runs of consecutive bad hours, cut at a day so that no query asks for more points than Prometheus serves.
    private static IEnumerable<(int First, int Last, HashSet<string> Keys)> Spans(SortedDictionary<int, HashSet<string>> badHours)
    {
        (int First, int Last, HashSet<string> Keys)? current = null;
        foreach (var (hour, keys) in badHours)
        {
            if (current is { } run && hour == run.Last + 1 && hour - run.First < s_longestMinuteQuery / s_hour)
            {
                run.Keys.UnionWith(keys);
                current = (run.First, hour, run.Keys);
                continue;
            }

            if (current is { } done)
            {
                yield return done;
            }

            current = (hour, hour, new HashSet<string>(keys, StringComparer.Ordinal));
        }

        if (current is { } last)
        {
            yield return last;
        }
    }

    private static List<SlaWindow> Windows(List<(DateTimeOffset End, double Good, double Total)> minutes, double errorBudget)
    {
        var windows = new List<SlaWindow>();
        SlaWindow? open = null;
        foreach (var (end, good, total) in minutes.OrderBy(static m => m.End))
        {
            var bad = total > 0 && (total - good) / total > errorBudget;
            if (bad && open is { } run && run.End == end - s_minute)
            {
                open = run with { End = end, BadEvents = run.BadEvents + (total - good), TotalEvents = run.TotalEvents + total };
                continue;
            }

            if (open is { } closed)
            {
                windows.Add(closed);
                open = null;
            }

            if (bad)
            {
                open = new SlaWindow(end - s_minute, end, total - good, total);
            }
        }

        if (open is { } last)
        {
            windows.Add(last);
        }

        return windows;
    }

    private static List<SlaDay> Days(Counts counts, DateTimeOffset start, int hours, double errorBudget)
    {
        var budget = counts.Total.Sum() * errorBudget;
        var (spent, days) = (0.0, new List<SlaDay>());
        for (var first = 0; first < hours; first += 24)
        {
            var (good, total) = (0.0, 0.0);
            for (var h = first; h < Math.Min(first + 24, hours); h++)
            {
                (good, total) = (good + counts.Good[h], total + counts.Total[h]);
            }

            spent += total - good;
            days.Add(new SlaDay(DateOnly.FromDateTime((start + (first * s_hour)).UtcDateTime), total > 0 ? good / total : double.NaN, budget > 0 ? 1 - (spent / budget) : 1));
        }

        return days;
    }

    // Lines up good and total series by their group's labels; a step is the increase up to its time.
    private static Dictionary<string, Counts> Buckets(IReadOnlyList<RangeSeries> good, IReadOnlyList<RangeSeries> total, IReadOnlyList<string> by, DateTimeOffset origin, TimeSpan step, int count)
    {
        var result = new Dictionary<string, Counts>(StringComparer.Ordinal);
        Counts Of(RangeSeries s) => result.TryGetValue(Key(s.Labels, by), out var c) ? c : result[Key(s.Labels, by)] = new Counts(s.Labels, new double[count], new double[count]);
        void Fill(RangeSeries series, Func<Counts, double[]> into)
        {
            var target = into(Of(series));
            foreach (var (time, value) in series.Points)
            {
                var index = (int)Math.Round((time - origin) / step) - 1;
                if (index >= 0 && index < count && double.IsFinite(value))
                {
                    target[index] = value;
                }
            }
        }

        foreach (var series in total)
        {
            Fill(series, static c => c.Total);
        }

        foreach (var series in good)
        {
            Fill(series, static c => c.Good);
        }

        return result;
    }

    // The group's key: its By labels' values, tenant first, so a tenant's key starts with its id.
    private static string Key(IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> by) =>
        string.Join('\u0001', by.OrderBy(static l => l == TenantLabels.Tenant ? 0 : 1).ThenBy(static l => l, StringComparer.Ordinal).Select(l => labels.GetValueOrDefault(l) ?? string.Empty));

    private sealed record Counts(IReadOnlyDictionary<string, string> Labels, double[] Good, double[] Total);
}
