namespace Infra.Observability.Reports;

/// <summary>Raw counter series read at the ends of consecutive slots of one length (hours, or minutes).</summary>
internal static class CounterEnds
{
    /// <summary>
    /// Each series' value at the ends of <paramref name="slots"/> slots of <paramref name="step"/> from
    /// <paramref name="start"/> (index 0 is slot 0's start; NaN where the series has no value). A series may come in
    /// several pieces (one per query over part of the window); its pieces are joined by their labels.
    /// </summary>
    public static List<(IReadOnlyDictionary<string, string> Labels, double[] Ends)> Join(IEnumerable<RangeSeries> pieces, DateTimeOffset start, TimeSpan step, int slots)
    {
        var series = new Dictionary<string, (IReadOnlyDictionary<string, string> Labels, double[] Ends)>(StringComparer.Ordinal);
        foreach (var piece in pieces)
        {
            var identity = SlaGroups.Identity(piece.Labels);
            if (!series.TryGetValue(identity, out var one))
            {
                var ends = new double[slots + 1];
                Array.Fill(ends, double.NaN);
                series[identity] = one = (piece.Labels, ends);
            }

            foreach (var (time, value) in piece.Points)
            {
                var index = (int)Math.Round((time - start) / step);
                if (index >= 0 && index <= slots && double.IsFinite(value))
                {
                    one.Ends[index] = value;
                }
            }
        }

        return [.. series.Values];
    }
}
