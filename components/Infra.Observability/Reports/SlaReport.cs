using Infra.Observability.Slo;

namespace Infra.Observability.Reports;

/// <summary>
/// Computes the SLA report from a Prometheus: per SLO and tenant, availability against the target, the error budget
/// used, the minutes that missed the objective, the worst stretches of them, and day-by-day figures for the chart.
/// <para>It reads the SLI's raw counters, never <c>increase()</c> over every sample, so a month of 500 tenants costs
/// about one raw query of its series. First the counters' values at every hour's end (<see cref="HourlyCounts"/>):
/// Prometheus looks up one sample per series and hour, and the hours add up exactly to the period's increase. Then
/// the values at every minute's end (<see cref="MinuteCounts"/>), only in the hours that had bad events or that their
/// ends cannot measure (a counter restarted; a series began, ended, or lived between two hours' ends, which the index
/// lists), for only the groups concerned; such an hour counts what its minutes count. When every good series is one
/// of all events' series (an availability SLI), one query serves both. A minute is bad when its error ratio exceeds
/// the error budget (<c>1 - target</c>).</para>
/// <para>Not seen: a counter that restarts and, within the same hour, counts past the value it had at the hour's
/// start (a process up for less than about an hour's worth of its traffic), in an hour with no other sign. That hour
/// is counted from its ends, short of the events before the restart. Any bad event the ends do show sends the hour to
/// the minutes, which see the restart.</para>
/// </summary>
public sealed class SlaReport
{
    // Prometheus serves at most 11,000 points per series and query.
    private const int MaxPointsPerQuery = 10_000;
    private static readonly TimeSpan s_hour = SlaGroups.Hour;
    private static readonly TimeSpan s_minute = SlaGroups.Minute;
    private readonly PrometheusClient _prometheus;

    /// <summary>A report reading <paramref name="prometheus"/>.</summary>
    public SlaReport(PrometheusClient prometheus) => _prometheus = prometheus ?? throw new ArgumentNullException(nameof(prometheus));

    /// <summary>How many worst windows each entry lists.</summary>
    public int WorstWindowCount { get; init; } = 5;

    /// <summary>
    /// How many queries run at once, and in how many pieces the hourly pass reads the period. Prometheus evaluates a
    /// query on one core, so this many cores of the Prometheus server can work for one report; by default the local
    /// machine's count, which is right when Prometheus runs beside the report or on a like machine.
    /// </summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

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

        using var gate = new SemaphoreSlim(Math.Max(1, Parallelism));
        var perSlo = await Task.WhenAll(slos.Where(s => tenant is null || s.PerTenant).Select(slo =>
        {
            var indicator = tenant is null ? slo.Indicator : slo.Indicator.Where(TenantLabels.Tenant, [tenant]);
            return EntriesAsync(slo, indicator, start, end, gate, cancellationToken);
        })).ConfigureAwait(false);

        return new SlaReportData { Start = start, End = end, Tenant = tenant, Entries = [.. perSlo.SelectMany(static e => e)] };
    }

    private async Task<List<SlaEntry>> EntriesAsync(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, DateTimeOffset start, DateTimeOffset end, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var hours = (int)((end - start) / s_hour);
        var listed = await Task.WhenAll(new[] { indicator.TotalSeries, indicator.GoodSeries }
            .Select(selector => GatedAsync(gate, () => _prometheus.SeriesAsync(selector, start, end, cancellationToken), cancellationToken))).ConfigureAwait(false);
        var series = new SliSeries(listed[0], listed[1]);
        var hourly = await HoursAsync(slo, indicator, series, start, hours, gate, cancellationToken).ConfigureAwait(false);
        var minutes = await MinutesAsync(slo, indicator, series, hourly, start, hours, gate, cancellationToken).ConfigureAwait(false);

        // An hour read minute by minute counts what its minutes count: that holds even where a counter restarted.
        foreach (var (key, byHour) in minutes)
        {
            foreach (var (hour, inHour) in byHour)
            {
                (hourly[key].Good[hour], hourly[key].Total[hour]) = (inHour.Good.Sum(), inHour.Total.Sum());
            }
        }

        return [.. hourly.OrderBy(static h => h.Key, StringComparer.Ordinal).Select(h =>
        {
            var counts = h.Value;
            var inMinutes = minutes.GetValueOrDefault(h.Key) ?? [];
            var windows = Windows(inMinutes.SelectMany(m => m.Value.Minutes(start, m.Key)), slo.ErrorBudget);
            return new SlaEntry
            {
                Slo = slo.Name,
                Service = slo.Service,
                Tenant = slo.PerTenant ? counts.Labels.GetValueOrDefault(TenantLabels.Tenant) : null,
                Target = slo.Target,
                GoodEvents = counts.Good.Sum(),
                TotalEvents = counts.Total.Sum(),
                BadMinutes = windows.Sum(static w => w.Minutes),
                WorstWindows = [.. windows.OrderByDescending(static w => w.BadEvents).ThenBy(static w => w.Start).Take(WorstWindowCount)],
                Days = Days(counts, start, hours, slo.ErrorBudget),
            };
        })];
    }

    // Hour pass: the counters' values at every hour's ends, the period cut in pieces read at once.
    private async Task<Dictionary<string, HourlyCounts>> HoursAsync(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, SliSeries series, DateTimeOffset start, int hours, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var pieces = Pieces(hours + 1, Math.Max(Parallelism, ((hours + 1 + MaxPointsPerQuery - 1) / MaxPointsPerQuery)));
        var (totalEnds, goodEnds) = await EndsAsync(indicator, series, pieces.Select(p => (start + (p.First * s_hour), start + (p.Last * s_hour))), s_hour, gate, cancellationToken).ConfigureAwait(false);
        var hourly = HourlyCounts.FromBoundaries(goodEnds, totalEnds, slo.By, start, hours);

        // A series that lived only between two hours' ends (a pod scaled up and down within the hour) has no value at
        // any end, but the index lists it: its hours are found by counting its samples, then read by the minute.
        var unseenTotal = Unseen(slo, indicator, series.Total, totalEnds);
        var unseenGood = Unseen(slo, indicator, series.Good, goodEnds);
        await Task.WhenAll(
            MarkUnseenAsync(slo, unseenTotal.Indicator.TotalSeries, unseenTotal.Identities, hourly, start, hours, pieces, gate, cancellationToken),
            MarkUnseenAsync(slo, unseenGood.Indicator.GoodSeries, unseenGood.Identities, hourly, start, hours, pieces, gate, cancellationToken)).ConfigureAwait(false);
        return hourly;
    }

    // Minute pass: the counters' values at every minute's end, in the hours that need minutes, for the groups that need them.
    private async Task<Dictionary<string, SortedDictionary<int, MinuteCounts>>> MinutesAsync(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, SliSeries series, Dictionary<string, HourlyCounts> hourly, DateTimeOffset start, int hours, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var needs = new SortedDictionary<int, HashSet<string>>();
        foreach (var (key, counts) in hourly)
        {
            foreach (var hour in Enumerable.Range(0, hours).Where(counts.NeedsMinutes))
            {
                (needs.TryGetValue(hour, out var keys) ? keys : needs[hour] = new HashSet<string>(StringComparer.Ordinal)).Add(key);
            }
        }

        var batches = MinuteBatches.Plan(needs).Select(async batch =>
        {
            var (from, to) = (start + (batch.FirstHour * s_hour), start + ((batch.LastHour + 1) * s_hour));
            var (total, good) = await EndsAsync(Restricted(slo, indicator, batch.Keys), series, [(from, to)], s_minute, gate, cancellationToken).ConfigureAwait(false);
            return MinuteCounts.FromEnds(good, total, slo.By, start, batch.FirstHour, batch.LastHour - batch.FirstHour + 1);
        }).ToList();

        var minutes = new Dictionary<string, SortedDictionary<int, MinuteCounts>>(StringComparer.Ordinal);
        foreach (var found in await Task.WhenAll(batches).ConfigureAwait(false))
        {
            foreach (var ((key, hour), counts) in found.Where(f => needs[f.Key.Hour].Contains(f.Key.Key)))
            {
                (minutes.TryGetValue(key, out var byHour) ? byHour : minutes[key] = [])[hour] = counts;
            }
        }

        return minutes;
    }

    // The raw counters of all events and of good events every `step` over each of `ranges`, read at once. When every
    // good series is one of all events' series, as for an availability SLI (one counter, good ones filtered by
    // status), the good series are taken from the answer for all events instead of being asked for again.
    private async Task<(List<RangeSeries> Total, List<RangeSeries> Good)> EndsAsync(
        ServiceLevelIndicator indicator, SliSeries series, IEnumerable<(DateTimeOffset From, DateTimeOffset To)> ranges, TimeSpan step, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var list = ranges.ToList();
        Task<IReadOnlyList<RangeSeries>[]> Read(string selector) => Task.WhenAll(list.Select(r =>
            GatedAsync(gate, () => _prometheus.QueryRangeAsync(selector, r.From, r.To, step, cancellationToken), cancellationToken)));
        var totalTask = Read(indicator.TotalSeries);
        var goodTask = series.GoodAmongTotal ? null : Read(indicator.GoodSeries);
        var total = (await totalTask.ConfigureAwait(false)).SelectMany(static s => s).ToList();
        var good = goodTask is null
            ? [.. total.Where(s => series.GoodIdentities.Contains(SlaGroups.Identity(s.Labels)))]
            : (await goodTask.ConfigureAwait(false)).SelectMany(static s => s).ToList();
        return (total, good);
    }

    // The listed series that no hour's end showed (as identities without the metric name, which count_over_time drops),
    // and the indicator restricted to their tenants (all of it, for an SLO that is not per tenant).
    private static (HashSet<string> Identities, ServiceLevelIndicator Indicator) Unseen(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, IReadOnlyList<IReadOnlyDictionary<string, string>> listed, List<RangeSeries> seen)
    {
        var known = seen.Select(static s => SlaGroups.Identity(s.Labels)).ToHashSet(StringComparer.Ordinal);
        var unseen = listed.Where(l => !known.Contains(SlaGroups.Identity(l))).ToList();
        var tenants = unseen.Select(static l => l.GetValueOrDefault(TenantLabels.Tenant) ?? string.Empty).Distinct(StringComparer.Ordinal);
        return (unseen.Select(SlaGroups.IdentityWithoutName).ToHashSet(StringComparer.Ordinal), slo.PerTenant ? indicator.Where(TenantLabels.Tenant, tenants) : indicator);
    }

    // Marks irregular the hours in which the `unseen` series of `selector` have samples.
    private async Task MarkUnseenAsync(
        ServiceLevelObjectiveArgs slo, string selector, HashSet<string> unseen, Dictionary<string, HourlyCounts> hourly, DateTimeOffset start, int hours, List<(int First, int Last)> pieces, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        if (unseen.Count == 0)
        {
            return;
        }

        foreach (var piece in pieces.Where(static p => p.Last > 0))
        {
            var (from, to) = (start + (Math.Max(1, piece.First) * s_hour), start + (piece.Last * s_hour));
            var counted = await GatedAsync(gate, () => _prometheus.QueryRangeAsync($"count_over_time({selector}[1h])", from, to, s_hour, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var one in counted.Where(s => unseen.Contains(SlaGroups.IdentityWithoutName(s.Labels))))
            {
                // The point at t counts the samples of the hour that ends at t.
                foreach (var (time, _) in one.Points)
                {
                    HourlyCounts.MarkIrregular(hourly, one.Labels, slo.By, hours, (int)Math.Round((time - start) / s_hour) - 1);
                }
            }
        }
    }

    private static ServiceLevelIndicator Restricted(ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, IEnumerable<string> keys) =>
        slo.PerTenant ? indicator.Where(TenantLabels.Tenant, keys.Select(SlaGroups.TenantOf).Distinct(StringComparer.Ordinal)) : indicator;

    private static async Task<T> GatedAsync<T>(SemaphoreSlim gate, Func<Task<T>> query, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await query().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    // Boundaries 0 to count - 1 cut into at most `pieces` runs of about equal length.
    private static List<(int First, int Last)> Pieces(int count, int pieces)
    {
        var size = (count + pieces - 1) / pieces;
        return [.. Enumerable.Range(0, (count + size - 1) / size).Select(i => (i * size, Math.Min(count, (i + 1) * size) - 1))];
    }

    private static List<SlaWindow> Windows(IEnumerable<(DateTimeOffset End, double Good, double Total)> minutes, double errorBudget)
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

    private static List<SlaDay> Days(HourlyCounts counts, DateTimeOffset start, int hours, double errorBudget)
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

    // The series an SLI's selectors matched in the period, from Prometheus's index.
    private sealed class SliSeries
    {
        public SliSeries(IReadOnlyList<IReadOnlyDictionary<string, string>> total, IReadOnlyList<IReadOnlyDictionary<string, string>> good)
        {
            (Total, Good) = (total, good);
            GoodIdentities = good.Select(SlaGroups.Identity).ToHashSet(StringComparer.Ordinal);
            GoodAmongTotal = GoodIdentities.IsSubsetOf(total.Select(SlaGroups.Identity));
        }

        public IReadOnlyList<IReadOnlyDictionary<string, string>> Total { get; }

        public IReadOnlyList<IReadOnlyDictionary<string, string>> Good { get; }

        public HashSet<string> GoodIdentities { get; }

        // Every good series is also one of all events' series: the same series in Prometheus, the same values.
        public bool GoodAmongTotal { get; }
    }
}
