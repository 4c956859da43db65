using System.Globalization;
using System.Text;

namespace Infra.Observability.Tests.Support;

/// <summary>
/// A month of 1-minute samples of the tenant application's request counters, with known outages, written as
/// OpenMetrics for <c>promtool tsdb create-blocks-from openmetrics</c>. Every tenant serves 60 requests a minute; in an
/// outage minute all of them fail. With restarts, some tenants' applications restart at known minutes: their counters
/// start again from zero, in the middle of an outage, on the hour and in a quiet hour, and no request is lost.
/// </summary>
public sealed class SyntheticMonth
{
    public const int RequestsPerMinute = 60;

    public SyntheticMonth(int year, int month, int tenants, int seed, bool restarts = false)
    {
        (Start, End) = Reports.SlaReport.Month(year, month);
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
            Restarts[tenant] = restarts ? RestartsOf(Tenants.IndexOf(tenant), Outages[tenant], minutes) : [];
        }
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset End { get; }

    public List<string> Tenants { get; }

    /// <summary>Each tenant's outages as (first minute from the start, length in minutes).</summary>
    public Dictionary<string, List<(int First, int Length)>> Outages { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The minutes at whose start each tenant's application restarts. Restarts are placed without randomness, so the
    /// outages of a seed stay the same with or without them.
    /// </summary>
    public Dictionary<string, List<int>> Restarts { get; } = new(StringComparer.Ordinal);

    // Every other tenant restarts: in its last outage (after earlier failures were counted), then on the hour, then
    // in the middle of an hour with no outage. Never in the first hours, so the counters have grown past an hour's worth.
    private static List<int> RestartsOf(int index, List<(int First, int Length)> outages, int minutes)
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

        var quiet = Enumerable.Range(3, (minutes / 60) - 4).Where(h => !outages.Any(o => o.First < (h + 2) * 60 && (h - 1) * 60 < o.First + o.Length)).ToList();
        if (quiet.Count > 1)
        {
            restarts.Add(quiet[index % quiet.Count] * 60);
            restarts.Add((quiet[(index * 7) % quiet.Count] * 60) + 25);
        }

        return [.. restarts.Distinct().Order()];
    }

    /// <summary>Writes the OpenMetrics file: the counters of good (200) and failed (500) requests per tenant.</summary>
    public void WriteOpenMetrics(string path)
    {
        var minutes = (int)(End - Start).TotalMinutes;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("# TYPE http_server_request_duration_seconds_count gauge\n");
        var origin = Start.ToUnixTimeSeconds();
        foreach (var tenant in Tenants)
        {
            var bad = new bool[minutes + 1];
            foreach (var (first, length) in Outages[tenant])
            {
                Array.Fill(bad, true, first, length);
            }

            var restart = new bool[minutes + 1];
            foreach (var minute in Restarts[tenant])
            {
                restart[minute] = true;
            }

            foreach (var code in new[] { "200", "500" })
            {
                var (value, prefix) = (0L, $"http_server_request_duration_seconds_count{{tenant=\"{tenant}\",http_response_status_code=\"{code}\"}} ");
                // The sample at minute m counts the requests up to its end; minute m's requests are bad in an outage.
                for (var m = 0; m <= minutes; m++)
                {
                    writer.Write(prefix);
                    writer.Write(value.ToString(CultureInfo.InvariantCulture));
                    writer.Write(' ');
                    writer.Write((origin + (m * 60L)).ToString(CultureInfo.InvariantCulture));
                    writer.Write('\n');
                    if (restart[m])
                    {
                        value = 0;
                    }

                    if (m < minutes && (bad[m] == (code == "500")))
                    {
                        value += RequestsPerMinute;
                    }
                }
            }
        }

        writer.Write("# EOF\n");
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
