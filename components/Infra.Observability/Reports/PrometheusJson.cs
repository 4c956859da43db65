using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infra.Observability.Reports;

/// <summary>A Prometheus API answer: its status, its data on success, its error otherwise.</summary>
internal sealed class PrometheusAnswer<TData>
{
    public string? Status { get; init; }

    public TData? Data { get; init; }

    public string? Error { get; init; }
}

/// <summary>The data of a range query: a matrix.</summary>
internal sealed class MatrixData
{
    public List<MatrixSeries> Result { get; init; } = [];
}

/// <summary>One series of a matrix.</summary>
internal sealed class MatrixSeries
{
    public Dictionary<string, string> Metric { get; init; } = [];

    public List<(DateTimeOffset Time, double Value)> Values { get; init; } = [];
}

/// <summary>
/// A sample as Prometheus writes it, <c>[1748736000.5, "42"]</c>: seconds as a number, the value as a string (so that
/// NaN and infinities fit). Read without building a DOM, so a month of hourly values for thousands of series costs
/// one pass over the response as it arrives.
/// </summary>
internal sealed class PrometheusSampleConverter : JsonConverter<(DateTimeOffset Time, double Value)>
{
    public override (DateTimeOffset Time, double Value) Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("a Prometheus sample must be [seconds, \"value\"].");
        }

        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000));
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("a Prometheus sample's value must be a string.");
        }

        var value = Value(reader.ValueSpan);
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("a Prometheus sample must be [seconds, \"value\"].");
        }

        return (time, value);
    }

    public override void Write(Utf8JsonWriter writer, (DateTimeOffset Time, double Value) value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Prometheus samples are only read.");

    /// <summary>A value as Prometheus formats it (Go's strconv: <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c> or a number).</summary>
    internal static double Value(ReadOnlySpan<byte> text) => text switch
    {
        _ when text.SequenceEqual("+Inf"u8) => double.PositiveInfinity,
        _ when text.SequenceEqual("-Inf"u8) => double.NegativeInfinity,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        _ => throw new JsonException($"'{System.Text.Encoding.UTF8.GetString(text)}' is not a Prometheus sample value."),
    };
}

/// <summary>The serializer for Prometheus's answers, generated at build time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(PrometheusSampleConverter)])]
[JsonSerializable(typeof(PrometheusAnswer<MatrixData>))]
internal sealed partial class PrometheusJsonContext : JsonSerializerContext;
