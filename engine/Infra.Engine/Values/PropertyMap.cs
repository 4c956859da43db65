using System.Collections;
using System.Collections.Immutable;

namespace Infra.Values;

/// <summary>
/// An immutable JSON object of <see cref="PropertyValue"/>s with keys in ordinal order: a resource's inputs or
/// outputs. Ordered keys make serialization byte-stable, so equal maps always produce equal JSON.
/// </summary>
public sealed class PropertyMap : IReadOnlyDictionary<string, PropertyValue>, IEquatable<PropertyMap>
{
    private readonly ImmutableSortedDictionary<string, PropertyValue> _items;

    // What IsFullyKnown and ContainsSecrets found, once asked: the map never changes, and the engine, the state writer
    // and the providers each ask again of the same large maps (a rendered release's manifests), a walk of the whole tree.
    private const int KnownComputed = 1, FullyKnown = 2, SecretsComputed = 4, HasSecrets = 8;
    private int _flags;

    private PropertyMap(ImmutableSortedDictionary<string, PropertyValue> items) => _items = items;

    /// <summary>The empty map.</summary>
    public static PropertyMap Empty { get; } = new(ImmutableSortedDictionary.Create<string, PropertyValue>(StringComparer.Ordinal));

    /// <summary>Creates a map from key/value pairs. A later duplicate key wins.</summary>
    public static PropertyMap Create(IEnumerable<KeyValuePair<string, PropertyValue>> items)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            builder[key] = value;
        }

        return builder.Count == 0 ? Empty : new PropertyMap(builder.ToImmutable());
    }

    /// <summary>Starts a mutable builder; call <see cref="Builder.ToPropertyMap"/> when done.</summary>
    public static Builder CreateBuilder() => new(ImmutableSortedDictionary.CreateBuilder<string, PropertyValue>(StringComparer.Ordinal));

    /// <inheritdoc/>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _items.Keys;

    /// <inheritdoc/>
    public IEnumerable<PropertyValue> Values => _items.Values;

    /// <inheritdoc/>
    public PropertyValue this[string key] => _items[key];

    /// <summary>True when no value in the map is unknown, at any depth.</summary>
    public bool IsFullyKnown => Flag(KnownComputed, FullyKnown, static items => items.Values.All(static v => v.IsFullyKnown));

    /// <summary>True when a value in the map is secret, at any depth.</summary>
    public bool ContainsSecrets => Flag(SecretsComputed, HasSecrets, static items => items.Values.Any(static v => v.ContainsSecrets));

    private bool Flag(int computed, int value, Func<ImmutableSortedDictionary<string, PropertyValue>, bool> compute)
    {
        var flags = Volatile.Read(ref _flags);
        if ((flags & computed) == 0)
        {
            var result = compute(_items);
            // Another thread may have set the other flag meanwhile: merge, never overwrite.
            Interlocked.Or(ref _flags, computed | (result ? value : 0));
            return result;
        }

        return (flags & value) != 0;
    }

    /// <summary>Returns a copy with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public PropertyMap SetItem(string key, PropertyValue value) => new(_items.SetItem(key, value));

    /// <summary>Returns a copy without <paramref name="key"/>.</summary>
    public PropertyMap Remove(string key) => _items.ContainsKey(key) ? new PropertyMap(_items.Remove(key)) : this;

    /// <summary>Returns the value for <paramref name="key"/>, or <see langword="null"/> when absent.</summary>
    public PropertyValue? GetValueOrDefault(string key) => _items.TryGetValue(key, out var value) ? value : null;

    /// <summary>Returns the string under <paramref name="key"/>, looking through secrets, or <see langword="null"/>.</summary>
    public string? GetString(string key) =>
        _items.TryGetValue(key, out var value) && value.TryGetString(out var s) ? s : null;

    /// <summary>Returns a copy with every secret marker removed.</summary>
    public PropertyMap RevealAll() => ContainsSecrets
        ? Create(_items.Select(static kv => KeyValuePair.Create(kv.Key, kv.Value.RevealAll())))
        : this;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out PropertyValue value) => _items.TryGetValue(key, out value!);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, PropertyValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(PropertyMap? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Count != Count)
        {
            return false;
        }

        using var mine = _items.GetEnumerator();
        using var theirs = other._items.GetEnumerator();
        while (mine.MoveNext() && theirs.MoveNext())
        {
            if (!string.Equals(mine.Current.Key, theirs.Current.Key, StringComparison.Ordinal) ||
                !mine.Current.Value.Equals(theirs.Current.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PropertyMap);

    /// <inheritdoc/>
    public override int GetHashCode() => Count;

    /// <summary>Display-safe JSON; secrets print as <c>[secret]</c>.</summary>
    public override string ToString() => PropertyJson.ToDisplayJson(PropertyValue.Create(this));

    /// <summary>A mutable builder for a <see cref="PropertyMap"/>.</summary>
    public sealed class Builder
    {
        private readonly ImmutableSortedDictionary<string, PropertyValue>.Builder _builder;

        internal Builder(ImmutableSortedDictionary<string, PropertyValue>.Builder builder) => _builder = builder;

        /// <summary>Sets <paramref name="key"/>.</summary>
        public PropertyValue this[string key]
        {
            get => _builder[key];
            set => _builder[key] = value;
        }

        /// <summary>Number of keys set so far.</summary>
        public int Count => _builder.Count;

        /// <summary>Sets a key and returns the builder.</summary>
        public Builder Add(string key, PropertyValue value)
        {
            _builder[key] = value;
            return this;
        }

        /// <summary>Builds the immutable map.</summary>
        public PropertyMap ToPropertyMap() => _builder.Count == 0 ? Empty : new PropertyMap(_builder.ToImmutable());
    }
}
