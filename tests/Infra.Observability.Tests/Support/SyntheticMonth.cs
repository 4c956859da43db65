using System.Globalization;
using System.Text;

namespace Infra.Observability.Tests.Support;

/// <summary>
/// A month of 1-minute samples of the tenant application's request counters, with known outages, written as
/// OpenMetrics for <c>promtool tsdb create-blocks-from openmetrics</c>. Every tenant serves 60 requests a minute; in an
/// outage minute all of them fail. With churn, some tenants' applications restart at known minutes (their counters start
/// again from zero: in the middle of an outage, on the hour and in a quiet hour; no request is lost), and some run a
/// second instance for part of one quiet hour (its own series, with no sample near either end of the hour).
/// </summary>
public sealed class SyntheticMonth
{
    public const int RequestsPerMinute = 60;

    public SyntheticMonth(int year, int month, int tenants, int seed, bool churn = false)
    {
        (Start, End) = Reports.SlaReport.Month(year, month);
        Churn = churn;
        var random = new Random(seed);
        var minutes = (int)(End - Start).TotalMinutes;
        Tenants = [.. Enumerable.Range(1, tenants).Select(static i => $"t{i:000}")];
        foreach (var tenant in Tenants)
        {
            // 0 to 3 outages of 1 to 90 minutes, apart from each other; every fourth tenant has none.
            var outages = new List<(int First, int Length)>();
            var count = Tenants.IndexOf(tenant) % 4 == 0 ? 0 : random.Next(1, 4);
            while (outages.Count < count)
            {
                var (first, length) = (random.Next(0, minutes - 100), random.Next(1, 91));
                if (outages.All(o => first + length + 1 < o.First || o.First + o.Length + 1 < first))
                {
                    outages.Add((first, length));
                }
            }

            Outages[tenant] = [.. outages.OrderBy(static o => o.First)];
            var quiet = QuietHours(Outages[tenant], minutes);
            Restarts[tenant] = churn ? RestartsOf(Tenants.IndexOf(tenant), Outages[tenant], quiet) : [];
            Extra[tenant] = churn && Tenants.IndexOf(tenant) % 3 == 1 && quiet.Count > 0 ? [(quiet[^1] * 60) + 10, (quiet[^1] * 60) + 45] : null;
        }
    }

    public DateTimeOffset Start { get; }

    /// <summary>True when applications restart, run short-lived instances and count fast requests in a bucket.</summary>
    public bool Churn { get; }

    public DateTimeOffset End { get; }

    public List<string> Tenants { get; }

    /// <summary>Each tenant's outages as (first minute from the start, length in minutes).</summary>
    public Dictionary<string, List<(int First, int Length)>> Outages { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The minutes at whose start each tenant's application restarts. Restarts are placed without randomness, so the
    /// outages of a seed stay the same with or without them.
    /// </summary>
    public Dictionary<string, List<int>> Restarts { get; } = new(StringComparer.Ordinal);

    /// <summary>Each tenant's second instance, as its first and last sample's minute; null for none.</summary>
    public Dictionary<string, int[]?> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>All the tenant's requests over the month.</summary>
    public double Requests(string tenant) =>
        ((End - Start).TotalMinutes * RequestsPerMinute) + (Extra[tenant] is [var first, var last] ? (last - first) * RequestsPerMinute : 0);

    /// <summary>The tenant's failed requests over the month.</summary>
    public double FailedRequests(string tenant) => Outages[tenant].Sum(static o => o.Length) * (double)RequestsPerMinute;

    // Hours with no outage in them or next to them, after the first hours (so counters have grown past an hour's worth).
    private static List<int> QuietHours(List<(int First, int Length)> outages, int minutes) =>
        [.. Enumerable.Range(3, (minutes / 60) - 4).Where(h => !outages.Any(o => o.First < (h + 2) * 60 && (h - 1) * 60 < o.First + o.Length))];

    // Every other tenant restarts: in its last outage (after earlier failures were counted), then on the hour, then
    // in the middle of a quiet hour.
    private static List<int> RestartsOf(int index, List<(int First, int Length)> outages, List<int> quiet)
    {
        if (index % 2 == 0)
        {
            return [];
        }

        var restarts = new List<int>();
        if (outages.Count > 0 && outages[^1] is { Length: > 1 } last)
        {
            restarts.Add(last.First + (last.Length / 2));
        }

        if (quiet.Count > 1)
        {
            restarts.Add(quiet[index % quiet.Count] * 60);
            restarts.Add((quiet[(index * 7) % quiet.Count] * 60) + 25);
        }

        return [.. restarts.Distinct().Order()];
    }

    /// <summary>
    /// Writes the OpenMetrics file: the counters of good (200) and failed (500) requests per tenant and of the second
    /// instances; with churn also the requests faster than 0.5 s (<c>_bucket{le="0.5"}</c>): all but the failed ones,
    /// which time out.
    /// </summary>
    public void WriteOpenMetrics(string path)
    {
        const string Count = "http_server_request_duration_seconds_count", Bucket = "http_server_request_duration_seconds_bucket";
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write($"# TYPE {Count} gauge\n");
        foreach (var tenant in Tenants)
        {
            var bad = BadMinutes(tenant);
            WriteCounter(writer, $"{Count}{{tenant=\"{tenant}\",http_response_status_code=\"200\"}}", tenant, m => !bad[m]);
            WriteCounter(writer, $"{Count}{{tenant=\"{tenant}\",http_response_status_code=\"500\"}}", tenant, m => bad[m]);
            WriteExtra(writer, $"{Count}{{tenant=\"{tenant}\",http_response_status_code=\"200\",instance=\"extra\"}}", tenant);
        }

        // OpenMetrics wants each family in one piece, so the buckets come after all the counts.
        if (Churn)
        {
            writer.Write($"# TYPE {Bucket} gauge\n");
            foreach (var tenant in Tenants)
            {
                var bad = BadMinutes(tenant);
                WriteCounter(writer, $"{Bucket}{{tenant=\"{tenant}\",le=\"0.5\"}}", tenant, m => !bad[m]);
                WriteExtra(writer, $"{Bucket}{{tenant=\"{tenant}\",instance=\"extra\",le=\"0.5\"}}", tenant);
            }
        }

        writer.Write("# EOF\n");
    }

    private bool[] BadMinutes(string tenant)
    {
        var bad = new bool[(int)(End - Start).TotalMinutes + 1];
        foreach (var (first, length) in Outages[tenant])
        {
            Array.Fill(bad, true, first, length);
        }

        return bad;
    }

    // One counter of the tenant's application over the month: the sample at minute m counts the requests up to its
    // end, minute m's requests counting when `counts(m)`; a restart at minute m starts it again from zero.
    private void WriteCounter(StreamWriter writer, string series, string tenant, Func<int, bool> counts)
    {
        var minutes = (int)(End - Start).TotalMinutes;
        var restart = new bool[minutes + 1];
        foreach (var minute in Restarts[tenant])
        {
            restart[minute] = true;
        }

        var value = 0L;
        for (var m = 0; m <= minutes; m++)
        {
            WriteSample(writer, series, value, m);
            if (restart[m])
            {
                value = 0;
            }

            if (m < minutes && counts(m))
            {
                value += RequestsPerMinute;
            }
        }
    }

    // The tenant's second instance, if any: every request counts, from its first sample to its last.
    private void WriteExtra(StreamWriter writer, string series, string tenant)
    {
        if (Extra[tenant] is [var from, var to])
        {
            for (var m = from; m <= to; m++)
            {
                WriteSample(writer, series, (m - from) * (long)RequestsPerMinute, m);
            }
        }
    }

    private void WriteSample(StreamWriter writer, string series, long value, int minute)
    {
        writer.Write(series);
        writer.Write(' ');
        writer.Write(value.ToString(CultureInfo.InvariantCulture));
        writer.Write(' ');
        writer.Write((Start.ToUnixTimeSeconds() + (minute * 60L)).ToString(CultureInfo.InvariantCulture));
        writer.Write('\n');
    }

    /// <summary>Writes the month as TSDB blocks into <paramref name="dataDirectory"/> with the real promtool.</summary>
    public async Task BackfillAsync(string dataDirectory, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var input = Path.Combine(workDirectory, "synthetic-month.om");
        WriteOpenMetrics(input);
        Directory.CreateDirectory(dataDirectory);
        // Blocks up to 486 h long: promtool parses the input once per block, so few long blocks are much faster.
        await Tools.RequireAsync("promtool", "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=720h", input, dataDirectory);
        File.Delete(input);
    }
}
