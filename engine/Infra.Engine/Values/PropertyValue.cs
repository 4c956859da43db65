using System.Collections.Immutable;
using System.Globalization;

namespace Infra.Values;

/// <summary>
/// One immutable value in a provider's property bag: JSON plus two markers, <see cref="PropertyValueKind.Secret"/>
/// and <see cref="PropertyValueKind.Unknown"/>. Property bags are what providers receive and return, what state
/// stores and what plans show, so they must survive a trip through JSON unchanged.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never reveals a secret: it prints <c>[secret]</c> in its place.
/// Equality is structural and treats a secret as different from the same value in plaintext.
/// </remarks>
public sealed class PropertyValue : IEquatable<PropertyValue>
{
    private readonly bool _bool;
    private readonly double _number;
    private readonly string? _string;
    private readonly ImmutableArray<PropertyValue> _array;
    private readonly PropertyMap? _object;
    private readonly PropertyValue? _inner;

    private PropertyValue(PropertyValueKind kind) => Kind = kind;

    private PropertyValue(bool value) : this(PropertyValueKind.Bool) => _bool = value;

    private PropertyValue(double value) : this(PropertyValueKind.Number) => _number = value;

    private PropertyValue(string value) : this(PropertyValueKind.String) => _string = value;

    private PropertyValue(ImmutableArray<PropertyValue> value) : this(PropertyValueKind.Array) => _array = value;

    private PropertyValue(PropertyMap value) : this(PropertyValueKind.Object) => _object = value;

    private PropertyValue(PropertyValueKind kind, PropertyValue inner) : this(kind) => _inner = inner;

    /// <summary>JSON <c>null</c>.</summary>
    public static PropertyValue Null { get; } = new(PropertyValueKind.Null);

    /// <summary>A value not known until apply.</summary>
    public static PropertyValue Unknown { get; } = new(PropertyValueKind.Unknown);

    /// <summary>JSON <c>true</c>.</summary>
    public static PropertyValue True { get; } = new(true);

    /// <summary>JSON <c>false</c>.</summary>
    public static PropertyValue False { get; } = new(false);

    /// <summary>An empty JSON object.</summary>
    public static PropertyValue EmptyObject { get; } = new(PropertyMap.Empty);

    /// <summary>The kind of this value.</summary>
    public PropertyValueKind Kind { get; }

    /// <summary>Creates a boolean value.</summary>
    public static PropertyValue Create(bool value) => value ? True : False;

    /// <summary>Creates a number value. NaN and infinities have no JSON form and are rejected.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The number is NaN or infinite.</exception>
    public static PropertyValue Create(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A property value must be a finite number.");
        }

        return new PropertyValue(value);
    }

    /// <summary>Creates a string value; <see langword="null"/> gives <see cref="Null"/>.</summary>
    public static PropertyValue Create(string? value) => value is null ? Null : new PropertyValue(value);

    /// <summary>Creates an array value.</summary>
    public static PropertyValue Create(ImmutableArray<PropertyValue> items) =>
        new(items.IsDefault ? ImmutableArray<PropertyValue>.Empty : items);

    /// <summary>Creates an array value.</summary>
    public static PropertyValue Create(IEnumerable<PropertyValue> items) => new(items.ToImmutableArray());

    /// <summary>Creates an object value.</summary>
    public static PropertyValue Create(PropertyMap map) => map.Count == 0 ? EmptyObject : new PropertyValue(map);

    /// <summary>Wraps <paramref name="value"/> as a secret. Wrapping a secret again is a no-op.</summary>
    public static PropertyValue Secret(PropertyValue value) =>
        value.Kind == PropertyValueKind.Secret ? value : new PropertyValue(PropertyValueKind.Secret, value);

    /// <summary>True for <see cref="PropertyValueKind.Null"/>.</summary>
    public bool IsNull => Kind == PropertyValueKind.Null;

    /// <summary>True for <see cref="PropertyValueKind.Secret"/>.</summary>
    public bool IsSecret => Kind == PropertyValueKind.Secret;

    /// <summary>True for <see cref="PropertyValueKind.Unknown"/> (only this value, not nested ones).</summary>
    public bool IsUnknown => Kind == PropertyValueKind.Unknown;

    /// <summary>The boolean payload.</summary>
    public bool AsBool => Kind == PropertyValueKind.Bool ? _bool : throw WrongKind(PropertyValueKind.Bool);

    /// <summary>The number payload.</summary>
    public double AsNumber => Kind == PropertyValueKind.Number ? _number : throw WrongKind(PropertyValueKind.Number);

    /// <summary>The string payload.</summary>
    public string AsString => Kind == PropertyValueKind.String ? _string! : throw WrongKind(PropertyValueKind.String);

    /// <summary>The array payload.</summary>
    public ImmutableArray<PropertyValue> AsArray =>
        Kind == PropertyValueKind.Array ? _array : throw WrongKind(PropertyValueKind.Array);

    /// <summary>The object payload.</summary>
    public PropertyMap AsObject => Kind == PropertyValueKind.Object ? _object! : throw WrongKind(PropertyValueKind.Object);

    /// <summary>The value a secret wraps.</summary>
    public PropertyValue SecretValue => Kind == PropertyValueKind.Secret ? _inner! : throw WrongKind(PropertyValueKind.Secret);

    /// <summary>This value with any outer secret marker removed.</summary>
    public PropertyValue Unwrapped => Kind == PropertyValueKind.Secret ? _inner! : this;

    /// <summary>True when neither this value nor anything inside it is <see cref="Unknown"/>.</summary>
    public bool IsFullyKnown => Kind switch
    {
        PropertyValueKind.Unknown => false,
        PropertyValueKind.Secret => _inner!.IsFullyKnown,
        PropertyValueKind.Array => _array.All(static v => v.IsFullyKnown),
        PropertyValueKind.Object => _object!.IsFullyKnown,
        _ => true,
    };

    /// <summary>True when this value or anything inside it is a secret.</summary>
    public bool ContainsSecrets => Kind switch
    {
        PropertyValueKind.Secret => true,
        PropertyValueKind.Array => _array.Any(static v => v.ContainsSecrets),
        PropertyValueKind.Object => _object!.ContainsSecrets,
        _ => false,
    };

    /// <summary>Tries to read a string, looking through a secret marker.</summary>
    public bool TryGetString(out string value)
    {
        var v = Unwrapped;
        value = v.Kind == PropertyValueKind.String ? v._string! : string.Empty;
        return v.Kind == PropertyValueKind.String;
    }

    /// <summary>Tries to read a number, looking through a secret marker.</summary>
    public bool TryGetNumber(out double value)
    {
        var v = Unwrapped;
        value = v.Kind == PropertyValueKind.Number ? v._number : 0;
        return v.Kind == PropertyValueKind.Number;
    }

    /// <summary>Tries to read a boolean, looking through a secret marker.</summary>
    public bool TryGetBool(out bool value)
    {
        var v = Unwrapped;
        value = v.Kind == PropertyValueKind.Bool && v._bool;
        return v.Kind == PropertyValueKind.Bool;
    }

    /// <summary>Returns a copy with every secret marker removed, at any depth.</summary>
    public PropertyValue RevealAll() => Kind switch
    {
        PropertyValueKind.Secret => _inner!.RevealAll(),
        PropertyValueKind.Array when ContainsSecrets => Create(_array.Select(static v => v.RevealAll())),
        PropertyValueKind.Object when ContainsSecrets => Create(_object!.RevealAll()),
        _ => this,
    };

    /// <inheritdoc/>
    public bool Equals(PropertyValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            PropertyValueKind.Null or PropertyValueKind.Unknown => true,
            PropertyValueKind.Bool => _bool == other._bool,
            PropertyValueKind.Number => _number.Equals(other._number),
            PropertyValueKind.String => string.Equals(_string, other._string, StringComparison.Ordinal),
            PropertyValueKind.Array => _array.SequenceEqual(other._array),
            PropertyValueKind.Object => _object!.Equals(other._object),
            PropertyValueKind.Secret => _inner!.Equals(other._inner),
            _ => false,
        };
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PropertyValue);

    /// <inheritdoc/>
    public override int GetHashCode() => Kind switch
    {
        PropertyValueKind.Bool => HashCode.Combine(Kind, _bool),
        PropertyValueKind.Number => HashCode.Combine(Kind, _number),
        PropertyValueKind.String => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_string!)),
        PropertyValueKind.Array => HashCode.Combine(Kind, _array.Length),
        PropertyValueKind.Object => HashCode.Combine(Kind, _object!.Count),
        PropertyValueKind.Secret => HashCode.Combine(Kind, _inner!.GetHashCode()),
        _ => (int)Kind,
    };

    /// <summary>A short, display-safe rendering: secrets print as <c>[secret]</c>, unknowns as <c>[unknown]</c>.</summary>
    public override string ToString() => Kind switch
    {
        PropertyValueKind.Null => "null",
        PropertyValueKind.Bool => _bool ? "true" : "false",
        PropertyValueKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        PropertyValueKind.String => _string!,
        PropertyValueKind.Secret => "[secret]",
        PropertyValueKind.Unknown => "[unknown]",
        _ => PropertyJson.ToDisplayJson(this),
    };

    /// <summary>Structural equality.</summary>
    public static bool operator ==(PropertyValue? left, PropertyValue? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(PropertyValue? left, PropertyValue? right) => !(left == right);

    private InvalidOperationException WrongKind(PropertyValueKind expected) =>
        new($"Expected a {expected.ToString().ToLowerInvariant()} property value but found {Kind.ToString().ToLowerInvariant()}.");
}
