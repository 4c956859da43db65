using Infra.Observability.Reports;

namespace Infra.Observability.Tests;

public class MinuteBatchesTests
{
    [Fact]
    public void Every_group_hour_that_needs_minutes_is_in_a_batch_and_a_batch_fetches_at_most_twice_what_it_needs()
    {
        // Tenants in outages scattered over a month: nearly every hour has one, each tenant only for an hour or two.
        var random = new Random(3);
        var needs = new SortedDictionary<int, HashSet<string>>();
        for (var i = 0; i < 600; i++)
        {
            var (hour, tenant) = (random.Next(0, 719), $"t{random.Next(0, 500):000}");
            foreach (var h in new[] { hour, hour + 1 })
            {
                (needs.TryGetValue(h, out var keys) ? keys : needs[h] = new HashSet<string>(StringComparer.Ordinal)).Add(tenant);
            }
        }

        var batches = MinuteBatches.Plan(needs);

        foreach (var (hour, keys) in needs)
        {
            Assert.All(keys, k => Assert.Contains(batches, b => b.FirstHour <= hour && hour <= b.LastHour && b.Keys.Contains(k)));
        }

        Assert.All(batches, b =>
        {
            var needed = Enumerable.Range(b.FirstHour, b.LastHour - b.FirstHour + 1).Sum(h => needs.GetValueOrDefault(h)?.Count ?? 0);
            Assert.InRange(b.Keys.Count * (b.LastHour - b.FirstHour + 1), needed, 2 * needed);
            Assert.InRange(b.LastHour - b.FirstHour, 0, 23);
        });
        Assert.True(batches.Count < needs.Count, $"{batches.Count} batches for {needs.Count} hours: consecutive hours should share queries.");
    }

    [Fact]
    public void A_service_wide_slo_reads_a_run_of_bad_hours_in_day_long_queries()
    {
        var needs = new SortedDictionary<int, HashSet<string>>();
        foreach (var hour in Enumerable.Range(10, 50))
        {
            needs[hour] = new HashSet<string>([string.Empty], StringComparer.Ordinal);
        }

        var batches = MinuteBatches.Plan(needs);

        Assert.Equal([(10, 33), (34, 57), (58, 59)], batches.Select(static b => (b.FirstHour, b.LastHour)));
    }
}
