namespace Infra.Observability.Reports;

/// <summary>
/// One group of an SLO (one tenant, for a per-tenant SLO): its good and all events hour by hour over the period.
/// <para>An hour's figure is the difference of each counter's values at the hour's two ends, so Prometheus only looks
/// up one sample per series and hour (as cheap as a raw query), and the hours add up to exactly the period's
/// increase. An hour whose ends cannot give it is <see cref="Irregular"/>: a counter fell (its process restarted) or
/// a series has a value at one end only (it began or ended). Such an hour, like one with bad events, is read minute
/// by minute instead (<see cref="NeedsMinutes"/>).</para>
/// </summary>
internal sealed class HourlyCounts
{
    private HourlyCounts(IReadOnlyDictionary<string, string> labels, int hours)
    {
        Labels = labels;
        Good = new double[hours];
        Total = new double[hours];
        Irregular = new bool[hours];
    }

    /// <summary>The group's labels (the SLO's <c>By</c> labels).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Good events per hour.</summary>
    public double[] Good { get; }

    /// <summary>All events per hour.</summary>
    public double[] Total { get; }

    /// <summary>Hours that the counters' values at their ends cannot measure.</summary>
    public bool[] Irregular { get; }

    /// <summary>True when hour <paramref name="hour"/> must be read minute by minute: it is irregular or had bad events.</summary>
    public bool NeedsMinutes(int hour) => Irregular[hour] || Total[hour] - Good[hour] > 0;

    /// <summary>
    /// The groups of <paramref name="good"/> and <paramref name="total"/>: raw counter series sampled every hour from
    /// <paramref name="start"/> (hour 0's start) to the end of hour <paramref name="hours"/> - 1. A series may come in
    /// several pieces (one per query over part of the period).
    /// </summary>
    public static Dictionary<string, HourlyCounts> FromBoundaries(
        IEnumerable<RangeSeries> good, IEnumerable<RangeSeries> total, IReadOnlyList<string> by, DateTimeOffset start, int hours)
    {
        var groups = new Dictionary<string, HourlyCounts>(StringComparer.Ordinal);
        Add(total, static c => c.Total);
        Add(good, static c => c.Good);
        return groups;

        void Add(IEnumerable<RangeSeries> pieces, Func<HourlyCounts, double[]> into)
        {
            foreach (var (labels, ends) in CounterEnds.Join(pieces, start, SlaGroups.Hour, hours))
            {
                var counts = GroupOf(groups, labels, by, hours);
                var events = into(counts);
                for (var hour = 0; hour < hours; hour++)
                {
                    var (from, to) = (ends[hour], ends[hour + 1]);
                    if (double.IsNaN(from) && double.IsNaN(to))
                    {
                        continue;
                    }

                    if (double.IsNaN(from) || double.IsNaN(to) || to < from)
                    {
                        counts.Irregular[hour] = true;
                        continue;
                    }

                    events[hour] += to - from;
                }
            }
        }
    }

    /// <summary>
    /// Marks hour <paramref name="hour"/> of the group of <paramref name="labels"/> irregular: a series of the group
    /// has samples in it but no value at any hour's end. The group is added when no other series made it.
    /// </summary>
    public static void MarkIrregular(Dictionary<string, HourlyCounts> groups, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> by, int hours, int hour) =>
        GroupOf(groups, labels, by, hours).Irregular[hour] = true;

    private static HourlyCounts GroupOf(Dictionary<string, HourlyCounts> groups, IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> by, int hours)
    {
        var key = SlaGroups.Key(labels, by);
        return groups.TryGetValue(key, out var found) ? found : groups[key] = new HourlyCounts(SlaGroups.Labels(labels, by), hours);
    }
}
