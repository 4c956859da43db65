using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Providers.Postgres.Handlers;

/// <summary>Typed access to a resource's property bag, looking through secret markers.</summary>
internal static class Inputs
{
    public static string? Text(this PropertyMap map, string key) => map.GetString(key);

    public static int Int(this PropertyMap map, string key, int fallback) =>
        map.GetValueOrDefault(key) is { } value && value.TryGetNumber(out var n) ? (int)n : fallback;

    public static bool Bool(this PropertyMap map, string key, bool fallback) =>
        map.GetValueOrDefault(key) is { } value && value.TryGetBool(out var b) ? b : fallback;

    public static ImmutableArray<string> Strings(this PropertyMap map, string key) =>
        map.GetValueOrDefault(key)?.Unwrapped is { Kind: PropertyValueKind.Array } array
            ? [.. array.AsArray.Select(static v => v.TryGetString(out var s) ? s : string.Empty)]
            : [];

    public static PropertyValue List(IEnumerable<string> items) => PropertyValue.Create(items.Select(PropertyValue.Create));

    /// <summary>True when the value is absent, or known and a string.</summary>
    public static bool IsOptionalText(this PropertyMap map, string key) =>
        map.GetValueOrDefault(key) is not { } v || !v.IsFullyKnown || v.Unwrapped.IsNull || v.TryGetString(out _);

    /// <summary>True when the value is present but not yet known (a preview of a value computed during the update).</summary>
    public static bool IsUnknown(this PropertyMap map, string key) => map.GetValueOrDefault(key) is { IsFullyKnown: false };

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> unless it is present already.</summary>
    public static PropertyMap WithDefault(this PropertyMap map, string key, PropertyValue value) =>
        map.ContainsKey(key) && !map[key].Unwrapped.IsNull ? map : map.SetItem(key, value);
}
