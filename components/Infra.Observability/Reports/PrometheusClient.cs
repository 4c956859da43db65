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

        using var document = await PostForDocumentAsync("api/v1/query", parameters, query, cancellationToken).ConfigureAwait(false);
        var data = document.RootElement.GetProperty("data");
        var type = data.GetProperty("resultType").GetString();
        if (type == "scalar")
        {
            return [(new Dictionary<string, string>(), Value(data.GetProperty("result")[1]))];
        }

        return [.. data.GetProperty("result").EnumerateArray().Select(static r => (Labels(r.GetProperty("metric")), Value(r.GetProperty("value")[1])))];
    }

    /// <summary>
    /// The series that <paramref name="selector"/> matches with samples between <paramref name="start"/> and
    /// <paramref name="end"/>, each as its labels. Prometheus answers from its index, without reading samples.
    /// </summary>
    /// <exception cref="PrometheusException">Prometheus refused the selector or could not be reached.</exception>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> SeriesAsync(string selector, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("match[]", selector), new("start", Seconds(start)), new("end", Seconds(end)) };
        using var document = await PostForDocumentAsync("api/v1/series", parameters, selector, cancellationToken).ConfigureAwait(false);
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(static s => (IReadOnlyDictionary<string, string>)Labels(s))];
    }

    /// <summary>A range query from <paramref name="start"/> to <paramref name="end"/> every <paramref name="step"/>.</summary>
    /// <remarks>The answer is read as it arrives, without a DOM: a month of hourly values for a thousand series is
    /// about 15 MB of JSON.</remarks>
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
        using var response = await PostAsync("api/v1/query_range", parameters, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        PrometheusAnswer<MatrixData>? answer;
        try
        {
            answer = await JsonSerializer.DeserializeAsync(stream, PrometheusJsonContext.Default.PrometheusAnswerMatrixData, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw NotPrometheus(response, ex);
        }

        if (answer is not { Status: "success", Data: { } data })
        {
            throw Refused(query, answer?.Error, response);
        }

        return [.. data.Result.Select(static s => new RangeSeries(s.Metric, s.Values))];
    }

    private async Task<JsonDocument> PostForDocumentAsync(string path, List<KeyValuePair<string, string>> parameters, string query, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(path, parameters, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw NotPrometheus(response, ex);
        }

        if (document.RootElement.TryGetProperty("status", out var status) && status.GetString() == "success")
        {
            return document;
        }

        using (document)
        {
            throw Refused(query, document.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null, response);
        }
    }

    // Only the headers are awaited: the body is parsed as it streams in.
    private async Task<HttpResponseMessage> PostAsync(string path, List<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, path)) { Content = new FormUrlEncodedContent(parameters) };
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new PrometheusException($"Prometheus at {BaseUrl} cannot be reached: {ex.Message}", ex);
        }
    }

    private PrometheusException NotPrometheus(HttpResponseMessage response, JsonException ex) =>
        new($"{BaseUrl} answered {(int)response.StatusCode} with no Prometheus API response; is it a Prometheus?", ex);

    private static PrometheusException Refused(string query, string? error, HttpResponseMessage response) =>
        new($"Prometheus refused the query '{query}': {error ?? $"HTTP {(int)response.StatusCode}"}");

    private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static double Value(JsonElement text) => PrometheusSampleConverter.Value(System.Text.Encoding.UTF8.GetBytes(text.GetString() ?? string.Empty));

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
