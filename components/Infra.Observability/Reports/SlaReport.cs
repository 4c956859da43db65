using Infra.Observability.Slo;

namespace Infra.Observability.Reports;

/// <summary>
/// Computes the SLA report from a Prometheus: per SLO and tenant, availability against the target, the error budget
/// used, the minutes that missed the objective, the worst stretches of them, and day-by-day figures for the chart.
/// <para>It reads the SLI's counters in two passes, so a month of 500 tenants costs about one raw query of its series.
/// First the counters' values at every hour's ends (<see cref="HourlyCounts"/>): Prometheus looks up one sample per
/// series and hour instead of evaluating <c>increase()</c> over every sample, and the hours add up exactly to the
/// period's increase. Then, per minute (<c>increase(...[1m])</c>), only the hours that had bad events or that the
/// hour's ends cannot measure (a counter restarted, a series began or ended), for only the groups concerned; such an
/// hour's figures are then the sum of its minutes. A minute is bad when its error ratio exceeds the error budget
/// (<c>1 - target</c>).</para>
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
        var hourly = await HoursAsync(slo, indicator, start, hours, gate, cancellationToken).ConfigureAwait(false);
        var minutes = await MinutesAsync(slo, indicator, hourly, start, hours, gate, cancellationToken).ConfigureAwait(false);

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

    // Hour pass: the counters' values at every hour's ends, the period cut in pieces read at once; all events' series
    // are the more numerous, so theirs are asked for first.
    private async Task<Dictionary<string, HourlyCounts>> HoursAsync(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, DateTimeOffset start, int hours, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var end = start + (hours * s_hour);
        var pieces = Pieces(hours + 1, Math.Max(Parallelism, ((hours + 1 + MaxPointsPerQuery - 1) / MaxPointsPerQuery)));
        Task<IReadOnlyList<RangeSeries>> Ends(string selector, (int First, int Last) piece) =>
            GatedAsync(gate, () => _prometheus.QueryRangeAsync(selector, start + (piece.First * s_hour), start + (piece.Last * s_hour), s_hour, cancellationToken), cancellationToken);
        var total = pieces.Select(p => Ends(indicator.TotalSeries, p)).ToList();
        var good = pieces.Select(p => Ends(indicator.GoodSeries, p)).ToList();
        var listed = new[] { indicator.TotalSeries, indicator.GoodSeries }
            .Select(selector => GatedAsync(gate, () => _prometheus.SeriesAsync(selector, start, end, cancellationToken), cancellationToken)).ToList();
        var totalEnds = (await Task.WhenAll(total).ConfigureAwait(false)).SelectMany(static s => s).ToList();
        var goodEnds = (await Task.WhenAll(good).ConfigureAwait(false)).SelectMany(static s => s).ToList();
        var hourly = HourlyCounts.FromBoundaries(goodEnds, totalEnds, slo.By, start, hours);

        // A series that lived only between two hours' ends (a pod scaled up and down within the hour) has no value at
        // any end, but the index lists it: its hours are found by counting its samples, then read by the minute.
        var unseenTotal = Unseen(slo, indicator, await listed[0].ConfigureAwait(false), totalEnds);
        var unseenGood = Unseen(slo, indicator, await listed[1].ConfigureAwait(false), goodEnds);
        await Task.WhenAll(
            MarkUnseenAsync(slo, unseenTotal.Indicator.TotalSeries, unseenTotal.Identities, hourly, start, hours, pieces, gate, cancellationToken),
            MarkUnseenAsync(slo, unseenGood.Indicator.GoodSeries, unseenGood.Identities, hourly, start, hours, pieces, gate, cancellationToken)).ConfigureAwait(false);
        return hourly;
    }

    // Minute pass: the hours that need minutes, for the groups that need them.
    private async Task<Dictionary<string, SortedDictionary<int, MinuteCounts>>> MinutesAsync(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, Dictionary<string, HourlyCounts> hourly, DateTimeOffset start, int hours, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var needs = new SortedDictionary<int, HashSet<string>>();
        foreach (var (key, counts) in hourly)
        {
            foreach (var hour in Enumerable.Range(0, hours).Where(counts.NeedsMinutes))
            {
                (needs.TryGetValue(hour, out var keys) ? keys : needs[hour] = new HashSet<string>(StringComparer.Ordinal)).Add(key);
            }
        }

        var minutes = new Dictionary<string, SortedDictionary<int, MinuteCounts>>(StringComparer.Ordinal);
        var batches = MinuteBatches.Plan(needs).Select(batch => MinuteBatchAsync(slo, indicator, batch, start, gate, cancellationToken)).ToList();
        foreach (var found in await Task.WhenAll(batches).ConfigureAwait(false))
        {
            foreach (var (key, hour, counts) in found.Where(f => needs[f.Hour].Contains(f.Key)))
            {
                (minutes.TryGetValue(key, out var byHour) ? byHour : minutes[key] = [])[hour] = counts;
            }
        }

        return minutes;
    }

    // One minute query (good and all events) over the batch's hours.
    private async Task<List<(string Key, int Hour, MinuteCounts Counts)>> MinuteBatchAsync(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, MinuteBatch batch, DateTimeOffset start, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var restricted = slo.PerTenant ? indicator.Where(TenantLabels.Tenant, batch.Keys.Select(SlaGroups.TenantOf).Distinct(StringComparer.Ordinal)) : indicator;
        var (from, to) = (start + (batch.FirstHour * s_hour) + s_minute, start + ((batch.LastHour + 1) * s_hour));
        var good = GatedAsync(gate, () => _prometheus.QueryRangeAsync(restricted.GoodIncrease("1m", slo.By), from, to, s_minute, cancellationToken), cancellationToken);
        var total = GatedAsync(gate, () => _prometheus.QueryRangeAsync(restricted.TotalIncrease("1m", slo.By), from, to, s_minute, cancellationToken), cancellationToken);
        var found = new Dictionary<(string Key, int Hour), MinuteCounts>();
        void Add(IReadOnlyList<RangeSeries> series, Func<MinuteCounts, double[]> into)
        {
            foreach (var one in series)
            {
                var key = SlaGroups.Key(one.Labels, slo.By);
                foreach (var (time, value) in one.Points)
                {
                    // The point at t is the increase over the minute that ends at t.
                    var minute = (int)Math.Round((time - start) / s_minute) - 1;
                    var hour = minute / 60;
                    if (minute >= 0 && hour >= batch.FirstHour && hour <= batch.LastHour && batch.Keys.Contains(key) && double.IsFinite(value))
                    {
                        into(found.TryGetValue((key, hour), out var counts) ? counts : found[(key, hour)] = new MinuteCounts())[minute % 60] = value;
                    }
                }
            }
        }

        Add(await total.ConfigureAwait(false), static c => c.Total);
        Add(await good.ConfigureAwait(false), static c => c.Good);
        return [.. found.Select(static f => (f.Key.Key, f.Key.Hour, f.Value))];
    }

    // The listed series that no hour's end showed, and the indicator restricted to their tenants (all of it, for an
    // SLO that is not per tenant).
    private static (HashSet<string> Identities, ServiceLevelIndicator Indicator) Unseen(
        ServiceLevelObjectiveArgs slo, ServiceLevelIndicator indicator, IReadOnlyList<IReadOnlyDictionary<string, string>> listed, List<RangeSeries> seen)
    {
        var known = seen.Select(static s => SlaGroups.Identity(s.Labels)).ToHashSet(StringComparer.Ordinal);
        var unseen = listed.Where(l => !known.Contains(SlaGroups.Identity(l))).ToList();
        var tenants = unseen.Select(static l => l.GetValueOrDefault(TenantLabels.Tenant) ?? string.Empty).Distinct(StringComparer.Ordinal);
        return (unseen.Select(SlaGroups.Identity).ToHashSet(StringComparer.Ordinal), slo.PerTenant ? indicator.Where(TenantLabels.Tenant, tenants) : indicator);
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
            foreach (var series in counted.Where(s => unseen.Contains(SlaGroups.Identity(s.Labels))))
            {
                // The point at t counts the samples of the hour that ends at t.
                foreach (var (time, _) in series.Points)
                {
                    HourlyCounts.MarkIrregular(hourly, series.Labels, slo.By, hours, (int)Math.Round((time - start) / s_hour) - 1);
                }
            }
        }
    }

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
}
