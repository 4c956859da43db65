using Infra.Observability.Reports;

namespace Infra.Observability.Tests;

public class HourlyCountsTests
{
    private static readonly DateTimeOffset s_start = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] s_byTenant = [TenantLabels.Tenant];

    [Fact]
    public void An_hours_events_are_the_increase_of_its_counters_between_its_ends_summed_per_group()
    {
        var total = new[] { Series("a", "200", 0, 60, 120, 180), Series("a", "500", 0, 0, 30, 30), Series("b", "200", 5, 65, 125, 185) };
        var good = new[] { Series("a", "200", 0, 60, 120, 180), Series("b", "200", 5, 65, 125, 185) };

        var groups = HourlyCounts.FromBoundaries(good, total, s_byTenant, s_start, 3);

        Assert.Equal([60, 90, 60], groups["a"].Total);
        Assert.Equal([60, 60, 60], groups["a"].Good);
        Assert.Equal([false, true, false], Enumerable.Range(0, 3).Select(groups["a"].NeedsMinutes));
        Assert.Equal([60, 60, 60], groups["b"].Total);
        Assert.All(Enumerable.Range(0, 3), h => Assert.False(groups["b"].NeedsMinutes(h)));
        Assert.Equal("a", groups["a"].Labels[TenantLabels.Tenant]);
        Assert.DoesNotContain("code", groups["a"].Labels.Keys);
    }

    [Fact]
    public void A_counter_that_falls_within_an_hour_sends_that_hour_to_the_minute_pass_even_without_bad_events()
    {
        // The application restarted during hour 1: its counter started again from zero.
        var counter = Series("a", "200", 7200, 7260, 40, 100);

        var groups = HourlyCounts.FromBoundaries([counter], [counter], s_byTenant, s_start, 3);

        Assert.Equal([false, true, false], groups["a"].Irregular);
        Assert.True(groups["a"].NeedsMinutes(1));
        Assert.Equal([60, 0, 60], groups["a"].Total);
    }

    [Fact]
    public void A_series_that_begins_or_ends_within_the_period_sends_those_hours_to_the_minute_pass()
    {
        var begins = Series("a", "500", double.NaN, double.NaN, 3, 3);
        var ends = Series("b", "200", 0, 60, double.NaN, double.NaN);

        var groups = HourlyCounts.FromBoundaries([], [begins, ends], s_byTenant, s_start, 3);

        Assert.Equal([false, true, false], groups["a"].Irregular);
        Assert.Equal([false, true, false], groups["b"].Irregular);
        Assert.Equal([0, 0, 0], groups["a"].Total);
        Assert.Equal([60, 0, 0], groups["b"].Total);
    }

    [Fact]
    public void Pieces_of_one_series_from_queries_over_parts_of_the_period_are_joined_before_hours_are_counted()
    {
        var first = Series("a", "200", 0, 60);
        var second = new RangeSeries(first.Labels, [(s_start.AddHours(2), 120), (s_start.AddHours(3), 180)]);

        var groups = HourlyCounts.FromBoundaries([], [first, second], s_byTenant, s_start, 3);

        Assert.Equal([60, 60, 60], groups["a"].Total);
        Assert.DoesNotContain(true, groups["a"].Irregular);
    }

    // A raw counter series' values at the ends of hours 0, 1, 2, ... (NaN: no sample there).
    private static RangeSeries Series(string tenant, string code, params double[] ends) => new(
        new Dictionary<string, string> { ["__name__"] = "requests_total", [TenantLabels.Tenant] = tenant, ["code"] = code },
        [.. ends.Select((v, i) => (s_start.AddHours(i), v)).Where(static p => !double.IsNaN(p.v))]);
}
