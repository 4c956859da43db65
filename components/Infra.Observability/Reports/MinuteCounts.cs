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
}
