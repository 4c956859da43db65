using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Infra.Values;

/// <summary>
/// A path into a property bag, such as <c>spec.containers[0].image</c> or <c>labels["app.kubernetes.io/name"]</c>.
/// Used by diffs (which paths changed), <c>IgnoreChanges</c> and <c>ReplaceOnChanges</c>.
/// </summary>
public sealed class PropertyPath : IEquatable<PropertyPath>
{
    private PropertyPath(ImmutableArray<object> segments) => Segments = segments;

    /// <summary>The root path (no segments).</summary>
    public static PropertyPath Root { get; } = new(ImmutableArray<object>.Empty);

    /// <summary>Each segment is a <see cref="string"/> key or an <see cref="int"/> index.</summary>
    public ImmutableArray<object> Segments { get; }

    /// <summary>The first key, which names the top-level property.</summary>
    public string TopLevelKey => Segments.Length > 0 && Segments[0] is string key ? key : string.Empty;

    /// <summary>Returns this path extended with a key.</summary>
    public PropertyPath Append(string key) => new(Segments.Add(key));

    /// <summary>Returns this path extended with an index.</summary>
    public PropertyPath Append(int index) => new(Segments.Add(index));

    /// <summary>True when this path equals <paramref name="other"/> or lies inside it.</summary>
    public bool IsWithin(PropertyPath other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Segments.Length > Segments.Length)
        {
            return false;
        }

        for (var i = 0; i < other.Segments.Length; i++)
        {
            if (!Segments[i].Equals(other.Segments[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <c>a.b[0]["c.d"]</c> notation.</summary>
    /// <exception cref="FormatException">The text is not a valid path; the message says where.</exception>
    public static PropertyPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = ImmutableArray.CreateBuilder<object>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    throw new FormatException($"Property path '{text}' has an unclosed '[' at position {i}.");
                }

                var inner = text[(i + 1)..close];
                if (inner.Length >= 2 && inner[0] == '"' && inner[^1] == '"')
                {
                    segments.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else
                {
                    throw new FormatException($"Property path '{text}' has an invalid index '[{inner}]'.");
                }

                i = close + 1;
                if (i < text.Length && text[i] == '.')
                {
                    i++;
                }

                continue;
            }

            var end = i;
            while (end < text.Length && text[end] != '.' && text[end] != '[')
            {
                end++;
            }

            if (end == i)
            {
                throw new FormatException($"Property path '{text}' has an empty segment at position {i}.");
            }

            segments.Add(text[i..end]);
            i = end < text.Length && text[end] == '.' ? end + 1 : end;
        }

        if (segments.Count == 0)
        {
            throw new FormatException("A property path must not be empty.");
        }

        return new PropertyPath(segments.ToImmutable());
    }

    /// <summary>Finds the value at this path, or <see langword="null"/> when the path does not exist.</summary>
    public PropertyValue? Find(PropertyMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        PropertyValue current = PropertyValue.Create(map);
        foreach (var segment in Segments)
        {
            current = current.Unwrapped;
            if (segment is string key && current.Kind == PropertyValueKind.Object &&
                current.AsObject.TryGetValue(key, out var child))
            {
                current = child;
            }
            else if (segment is int index && current.Kind == PropertyValueKind.Array && index < current.AsArray.Length)
            {
                current = current.AsArray[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Returns a copy of <paramref name="map"/> with the value at this path replaced, or removed when
    /// <paramref name="value"/> is <see langword="null"/>. Missing intermediate objects are created.</summary>
    public PropertyMap Set(PropertyMap map, PropertyValue? value)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (Segments.IsEmpty)
        {
            return map;
        }

        var result = SetIn(PropertyValue.Create(map), 0, value);
        return result?.Kind == PropertyValueKind.Object ? result.AsObject : PropertyMap.Empty;
    }

    private PropertyValue? SetIn(PropertyValue? current, int depth, PropertyValue? value)
    {
        if (depth == Segments.Length)
        {
            return value;
        }

        var wasSecret = current?.IsSecret == true;
        var unwrapped = current?.Unwrapped;
        PropertyValue? result;
        if (Segments[depth] is string key)
        {
            var obj = unwrapped?.Kind == PropertyValueKind.Object ? unwrapped.AsObject : PropertyMap.Empty;
            var child = SetIn(obj.GetValueOrDefault(key), depth + 1, value);
            result = PropertyValue.Create(child is null ? obj.Remove(key) : obj.SetItem(key, child));
        }
        else
        {
            var index = (int)Segments[depth];
            if (unwrapped?.Kind != PropertyValueKind.Array || index >= unwrapped.AsArray.Length)
            {
                return current;
            }

            var array = unwrapped.AsArray;
            var child = SetIn(array[index], depth + 1, value) ?? PropertyValue.Null;
            result = PropertyValue.Create(array.SetItem(index, child));
        }

        return wasSecret ? PropertyValue.Secret(result) : result;
    }

    /// <inheritdoc/>
    public bool Equals(PropertyPath? other) => other is not null && Segments.SequenceEqual(other.Segments);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PropertyPath);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var segment in Segments)
        {
            hash.Add(segment);
        }

        return hash.ToHashCode();
    }

    /// <summary>The path in <c>a.b[0]["c.d"]</c> notation.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var segment in Segments)
        {
            if (segment is int index)
            {
                builder.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                var key = (string)segment;
                if (IsPlainKey(key))
                {
                    if (builder.Length > 0)
                    {
                        builder.Append('.');
                    }

                    builder.Append(key);
                }
                else
                {
                    builder.Append("[\"").Append(key).Append("\"]");
                }
            }
        }

        return builder.ToString();
    }

    private static bool IsPlainKey(string key) =>
        key.Length > 0 && key.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$');
}
