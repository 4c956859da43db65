using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Policies;

/// <summary>
/// Reading property bags the way policies need to: by path (<c>spec.template.spec.containers</c>), looking through
/// secret markers, and telling "absent" (<see langword="null"/>) from "not known until apply" (<see cref="IsUnresolved"/>).
/// </summary>
public static class PropertyBagExtensions
{
    /// <summary>The value at <paramref name="path"/> (<c>a.b[0]["c.d"]</c> notation), or <see langword="null"/> when absent.</summary>
    public static PropertyValue? At(this PropertyMap map, string path)
    {
        ArgumentNullException.ThrowIfNull(map);
        return PropertyPath.Parse(path).Find(map);
    }

    /// <summary>The value at <paramref name="path"/>, or <see langword="null"/> when absent.</summary>
    public static PropertyValue? At(this PropertyMap map, PropertyPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Find(map);
    }

    /// <summary>The object at <paramref name="path"/>, looking through a secret marker; <see langword="null"/> when absent, unknown or not an object.</summary>
    public static PropertyMap? ObjectAt(this PropertyMap map, string path) =>
        map.At(path)?.Unwrapped is { Kind: PropertyValueKind.Object } value ? value.AsObject : null;

    /// <summary>The array at <paramref name="path"/>, looking through a secret marker; empty when absent, unknown or not an array.</summary>
    public static ImmutableArray<PropertyValue> ArrayAt(this PropertyMap map, string path) =>
        map.At(path)?.Unwrapped is { Kind: PropertyValueKind.Array } value ? value.AsArray : [];

    /// <summary>The string at <paramref name="path"/>, looking through a secret marker; <see langword="null"/> when absent, unknown or not a string.</summary>
    public static string? StringAt(this PropertyMap map, string path) =>
        map.At(path) is { } value && value.TryGetString(out var text) ? text : null;

    /// <summary>The boolean at <paramref name="path"/>; <see langword="null"/> when absent, unknown or not a boolean.</summary>
    public static bool? BoolAt(this PropertyMap map, string path) =>
        map.At(path) is { } value && value.TryGetBool(out var flag) ? flag : null;

    /// <summary>The number at <paramref name="path"/>; <see langword="null"/> when absent, unknown or not a number.</summary>
    public static double? NumberAt(this PropertyMap map, string path) =>
        map.At(path) is { } value && value.TryGetNumber(out var number) ? number : null;

    /// <summary>
    /// The string-valued entries of the object at <paramref name="path"/> (e.g. <c>metadata.labels</c>); entries whose
    /// value is unknown or not a string are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> StringMapAt(this PropertyMap map, string path)
    {
        if (map.ObjectAt(path) is not { } labels)
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (value.TryGetString(out var text))
            {
                builder[key] = text;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>True when the value is not known until apply, even behind a secret marker.</summary>
    public static bool IsUnresolved(this PropertyValue? value) => value is not null && value.Unwrapped.IsUnknown;

    /// <summary>True when the value at <paramref name="path"/>, or any value on the way to it, is not known until apply.</summary>
    public static bool IsUnresolvedAt(this PropertyMap map, string path)
    {
        ArgumentNullException.ThrowIfNull(map);
        var current = PropertyValue.Create(map);
        foreach (var segment in PropertyPath.Parse(path).Segments)
        {
            current = current.Unwrapped;
            if (current.IsUnknown)
            {
                return true;
            }

            PropertyValue? next = segment switch
            {
                string key when current.Kind == PropertyValueKind.Object => current.AsObject.GetValueOrDefault(key),
                int index when current.Kind == PropertyValueKind.Array && index < current.AsArray.Length => current.AsArray[index],
                _ => null,
            };
            if (next is null)
            {
                return false;
            }

            current = next;
        }

        return current.Unwrapped.IsUnknown;
    }

    /// <summary>Returns a copy of <paramref name="map"/> with <paramref name="value"/> at <paramref name="path"/>, creating missing objects.</summary>
    public static PropertyMap With(this PropertyMap map, PropertyPath path, PropertyValue value)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Set(map, value);
    }
}
