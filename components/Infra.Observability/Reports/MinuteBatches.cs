namespace Infra.Observability.Reports;

/// <summary>One minute-level query: hours <see cref="FirstHour"/> to <see cref="LastHour"/> for the groups <see cref="Keys"/>.</summary>
internal sealed record MinuteBatch(int FirstHour, int LastHour, IReadOnlySet<string> Keys);

/// <summary>
/// Plans the minute-level queries over the hours that need minutes. A query covers consecutive hours for the union of
/// their groups, so it also fetches the group-hours that need nothing; a batch grows only while it fetches at most
/// twice the group-hours it needs. Without that bound, a month of 500 tenants, where nearly every hour has some tenant
/// in an outage, becomes day-long queries for dozens of tenants that each needed two hours (ten times the points).
/// </summary>
internal static class MinuteBatches
{
    // 1,440 points per series: well under the 11,000 a Prometheus query may return per series.
    private const int MaxHours = 24;

    private const int MaxOverfetch = 2;

    /// <summary>The batches for <paramref name="needs"/>: each hour that needs minutes and the groups that need them.</summary>
    public static List<MinuteBatch> Plan(SortedDictionary<int, HashSet<string>> needs)
    {
        var batches = new List<MinuteBatch>();
        (int First, int Last, HashSet<string> Keys, int Needed)? open = null;
        foreach (var (hour, keys) in needs)
        {
            if (open is { } run && hour == run.Last + 1 && hour - run.First < MaxHours)
            {
                var union = new HashSet<string>(run.Keys, StringComparer.Ordinal);
                union.UnionWith(keys);
                var needed = run.Needed + keys.Count;
                if (union.Count * (hour - run.First + 1) <= MaxOverfetch * needed)
                {
                    open = (run.First, hour, union, needed);
                    continue;
                }
            }

            if (open is { } done)
            {
                batches.Add(new MinuteBatch(done.First, done.Last, done.Keys));
            }

            open = (hour, hour, new HashSet<string>(keys, StringComparer.Ordinal), keys.Count);
        }

        if (open is { } last)
        {
            batches.Add(new MinuteBatch(last.First, last.Last, last.Keys));
        }

        return batches;
    }
}
