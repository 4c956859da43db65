using Infra.Observability.Reports;

namespace Infra.Observability.Tests;

public class MinuteCountsTests
{
    private static readonly DateTimeOffset s_start = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_counter_that_falls_within_a_minute_counts_from_zero_and_a_minute_without_both_ends_counts_nothing()
    {
        // Hour 2 of the period: 60 a minute, a restart during minute 2 (60 counted since), no value at minute 10's start.
        var ends = new double[61];
        for (var m = 0; m <= 60; m++)
        {
            ends[m] = m < 3 ? 1000 + (m * 60) : (m - 2) * 60;
        }

        ends[10] = double.NaN;
        var total = new RangeSeries(
            new Dictionary<string, string> { ["__name__"] = "requests_total", [TenantLabels.Tenant] = "a" },
            [.. ends.Select((v, m) => (s_start.AddHours(2).AddMinutes(m), v)).Where(static p => !double.IsNaN(p.v))]);

        var minutes = MinuteCounts.FromEnds([], [total], [TenantLabels.Tenant], s_start, firstHour: 2, hours: 1);

        var counts = minutes[("a", 2)].Total;
        Assert.Equal(60, counts[2]);
        Assert.Equal([0, 0], counts[9..11]);
        Assert.Equal(58 * 60, counts.Sum());
    }
}
