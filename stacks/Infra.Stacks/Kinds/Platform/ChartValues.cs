using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// Turns a typed values record into the nested maps a <see cref="Providers.Helm.HelmRelease"/> takes: properties in
/// camelCase (a chart's convention), unset (<see langword="null"/>) properties left out so the chart's default applies,
/// and dictionary keys (labels, annotations) kept exactly as written.
/// </summary>
internal static class ChartValues
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The values of <paramref name="record"/> as nested maps and lists.</summary>
    public static Dictionary<string, object?> Of<T>(T record) where T : class =>
        (Dictionary<string, object?>)Plain(JsonSerializer.SerializeToNode(record, s_options))!;

    /// <summary>A JSON node as plain maps, lists, strings, numbers and booleans.</summary>
    public static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map.ToDictionary(static p => p.Key, static p => Plain(p.Value), StringComparer.Ordinal),
        JsonArray list => list.Select(Plain).ToList(),
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.ToJsonString() is var number =>
            long.TryParse(number, System.Globalization.CultureInfo.InvariantCulture, out var whole)
                ? whole is >= int.MinValue and <= int.MaxValue ? (int)whole : whole
                : double.Parse(number, System.Globalization.CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
