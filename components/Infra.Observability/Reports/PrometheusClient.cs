using System.Globalization;
using System.Text.Json;

namespace Infra.Observability.Reports;

/// <summary>One series of a range query: its labels and its (time, value) points.</summary>
/// <param name="Labels">The series' labels.</param>
/// <param name="Points">Its points, oldest first.</param>
public sealed record RangeSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(DateTimeOffset Time, double Value)> Points);

/// <summary>
/// Reads a Prometheus over its HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>). Errors carry Prometheus's
/// own message and the query, so a bad expression is one line that names it.
/// </summary>
public sealed class PrometheusClient
{
    private readonly HttpClient _http;

    /// <summary>A client for the Prometheus at <paramref name="baseUrl"/>, using <paramref name="http"/>.</summary>
    public PrometheusClient(Uri baseUrl, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = http ?? throw new ArgumentNullException(nameof(http));
        BaseUrl = baseUrl;
    }

    /// <summary>Where Prometheus is.</summary>
    public Uri BaseUrl { get; }

    /// <summary>An instant query at <paramref name="time"/> (now when null); each series' labels and value.</summary>
    /// <exception cref="PrometheusException">Prometheus refused the query or could not be reached.</exception>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string query, DateTimeOffset? time = null, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("query", query) };
        if (time is { } at)
        {
            parameters.Add(new("time", Seconds(at)));
        }

        using var document = await PostAsync("api/v1/query", parameters, query, cancellationToken).ConfigureAwait(false);
        var data = document.RootElement.GetProperty("data");
        var type = data.GetProperty("resultType").GetString();
        if (type == "scalar")
        {
            return [(new Dictionary<string, string>(), Value(data.GetProperty("result")[1]))];
        }

        return [.. data.GetProperty("result").EnumerateArray().Select(static r => (Labels(r.GetProperty("metric")), Value(r.GetProperty("value")[1])))];
    }

    /// <summary>A range query from <paramref name="start"/> to <paramref name="end"/> every <paramref name="step"/>.</summary>
    /// <exception cref="PrometheusException">Prometheus refused the query or could not be reached.</exception>
    public async Task<IReadOnlyList<RangeSeries>> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("query", query),
            new("start", Seconds(start)),
            new("end", Seconds(end)),
            new("step", ((long)step.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
        using var document = await PostAsync("api/v1/query_range", parameters, query, cancellationToken).ConfigureAwait(false);
        var result = new List<RangeSeries>();
        foreach (var series in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var points = new List<(DateTimeOffset, double)>();
            foreach (var point in series.GetProperty("values").EnumerateArray())
            {
                points.Add((DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(point[0].GetDouble() * 1000)), Value(point[1])));
            }

            result.Add(new RangeSeries(Labels(series.GetProperty("metric")), points));
        }

        return result;
    }

    private async Task<JsonDocument> PostAsync(string path, List<KeyValuePair<string, string>> parameters, string query, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var content = new FormUrlEncodedContent(parameters);
            response = await _http.PostAsync(new Uri(BaseUrl, path), content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new PrometheusException($"Prometheus at {BaseUrl} cannot be reached: {ex.Message}", ex);
        }

        using (response)
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new PrometheusException($"{BaseUrl} answered {(int)response.StatusCode} with no Prometheus API response; is it a Prometheus?", ex);
            }

            if (document.RootElement.TryGetProperty("status", out var status) && status.GetString() == "success")
            {
                return document;
            }

            var error = document.RootElement.TryGetProperty("error", out var e) ? e.GetString() : $"HTTP {(int)response.StatusCode}";
            document.Dispose();
            throw new PrometheusException($"Prometheus refused the query '{query}': {error}");
        }
    }

    private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static double Value(JsonElement text) => text.GetString() switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        var number => double.Parse(number!, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string> Labels(JsonElement metric) =>
        metric.EnumerateObject().ToDictionary(static p => p.Name, static p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
}

/// <summary>Prometheus refused a query or could not be reached; the message says which and why.</summary>
public sealed class PrometheusException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PrometheusException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PrometheusException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PrometheusException()
    {
    }
}
