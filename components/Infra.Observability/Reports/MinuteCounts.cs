namespace Infra.Observability.Reports;

/// <summary>One group's good and all events in each minute of one hour, from the minute pass.</summary>
internal sealed class MinuteCounts
{
    /// <summary>Good events per minute of the hour.</summary>
    public double[] Good { get; } = new double[60];

    /// <summary>All events per minute of the hour.</summary>
    public double[] Total { get; } = new double[60];

    /// <summary>The minutes of hour <paramref name="hour"/> of a period from <paramref name="start"/>, each by its end.</summary>
    public IEnumerable<(DateTimeOffset End, double Good, double Total)> Minutes(DateTimeOffset start, int hour)
    {
        var first = start + (hour * SlaGroups.Hour);
        return Enumerable.Range(0, 60).Select(m => (first + ((m + 1) * SlaGroups.Minute), Good[m], Total[m]));
    }

    /// <summary>
    /// The minutes of <paramref name="hours"/> hours from hour <paramref name="firstHour"/> of a period from
    /// <paramref name="start"/>, by group and hour, from raw counter series read at every minute's end. A minute counts
    /// each counter's increase over it. A counter that fell restarted within the minute and counts from zero, as
    /// Prometheus's <c>increase()</c> has it; a series without a value at one of the minute's ends counts nothing in it.
    /// </summary>
    public static Dictionary<(string Key, int Hour), MinuteCounts> FromEnds(
        IEnumerable<RangeSeries> good, IEnumerable<RangeSeries> total, IReadOnlyList<string> by, DateTimeOffset start, int firstHour, int hours)
    {
        var found = new Dictionary<(string Key, int Hour), MinuteCounts>();
        Add(total, static c => c.Total);
        Add(good, static c => c.Good);
        return found;

        void Add(IEnumerable<RangeSeries> pieces, Func<MinuteCounts, double[]> into)
        {
            foreach (var (labels, ends) in CounterEnds.Join(pieces, start + (firstHour * SlaGroups.Hour), SlaGroups.Minute, hours * 60))
            {
                var key = SlaGroups.Key(labels, by);
                for (var minute = 0; minute < hours * 60; minute++)
                {
                    var (from, to) = (ends[minute], ends[minute + 1]);
                    if (double.IsNaN(from) || double.IsNaN(to))
                    {
                        continue;
                    }

                    var hour = (key, firstHour + (minute / 60));
                    into(found.TryGetValue(hour, out var counts) ? counts : found[hour] = new MinuteCounts())[minute % 60] += to >= from ? to - from : to;
                }
            }
        }
    }
}
