using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.Values;

/// <summary>
/// Converts between .NET values and <see cref="PropertyValue"/>s: primitives, strings, enums, lists,
/// string-keyed dictionaries, JSON nodes and records (by their public properties, camelCased, or the name in
/// <see cref="InputAttribute"/>).
/// </summary>
public static class ValueConverter
{
    // A pure function of the type, computed once: reflection metadata, not engine state.
    private static readonly ConcurrentDictionary<Type, ImmutableArray<(string Name, PropertyInfo Property)>> s_members = new();

    /// <summary>Converts a plain .NET value to a property value.</summary>
    /// <exception cref="InfraException">The value's type has no property-bag form.</exception>
    public static PropertyValue ToProperty(object? value) => value switch
    {
        null => PropertyValue.Null,
        PropertyValue p => p,
        PropertyMap m => PropertyValue.Create(m),
        string s => PropertyValue.Create(s),
        bool b => PropertyValue.Create(b),
        int i => PropertyValue.Create(i),
        long l => PropertyValue.Create(l),
        double d => PropertyValue.Create(d),
        float f => PropertyValue.Create(f),
        decimal m => PropertyValue.Create((double)m),
        short s => PropertyValue.Create(s),
        byte b => PropertyValue.Create(b),
        uint u => PropertyValue.Create(u),
        Enum e => PropertyValue.Create(e.ToString()),
        Guid g => PropertyValue.Create(g.ToString()),
        DateTimeOffset t => PropertyValue.Create(t.ToString("O", CultureInfo.InvariantCulture)),
        DateTime t => PropertyValue.Create(t.ToString("O", CultureInfo.InvariantCulture)),
        TimeSpan t => PropertyValue.Create(t.TotalSeconds),
        JsonElement e => PropertyJson.Read(e, PropertyJsonMode.Plaintext),
        JsonNode n => PropertyJson.Parse(n.ToJsonString(), PropertyJsonMode.Plaintext),
        IOutputSource => throw new InfraException(
            "An output cannot be nested inside a plain value; pass it as a resource argument or combine it with Output.All."),
        IDictionary dictionary => FromDictionary(dictionary),
        IEnumerable sequence => PropertyValue.Create(sequence.Cast<object?>().Select(ToProperty)),
        _ => FromObject(value),
    };

    /// <summary>Converts a property value to <typeparamref name="T"/>.</summary>
    /// <param name="value">The value; secrets must already be revealed by the caller.</param>
    /// <param name="urn">The resource the value belongs to, for error messages.</param>
    /// <param name="property">The property name, for error messages.</param>
    /// <exception cref="InfraException">The value does not fit <typeparamref name="T"/>.</exception>
    public static T FromProperty<T>(PropertyValue value, string urn, string property)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            return (T)FromProperty(value, typeof(T))!;
        }
        catch (Exception ex) when (ex is InvalidCastException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new ResourceException(urn, $"output '{property}' holds {value.Kind.ToString().ToLowerInvariant()}, which does not convert to {typeof(T).Name}");
        }
    }

    /// <summary>Converts a property value to <paramref name="type"/>.</summary>
    public static object? FromProperty(PropertyValue value, Type type)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(type);
        value = value.Unwrapped;
        var underlying = Nullable.GetUnderlyingType(type);
        if (value.IsNull)
        {
            return underlying is not null || !type.IsValueType ? null : Activator.CreateInstance(type);
        }

        type = underlying ?? type;
        if (type == typeof(PropertyValue))
        {
            return value;
        }

        if (type == typeof(object))
        {
            return ToPlainObject(value);
        }

        if (type == typeof(string))
        {
            return value.Kind switch
            {
                PropertyValueKind.String => value.AsString,
                PropertyValueKind.Number => value.AsNumber.ToString(CultureInfo.InvariantCulture),
                PropertyValueKind.Bool => value.AsBool ? "true" : "false",
                _ => PropertyJson.ToJson(value, PropertyJsonMode.Plaintext),
            };
        }

        if (type == typeof(bool))
        {
            return value.Kind == PropertyValueKind.String ? bool.Parse(value.AsString) : value.AsBool;
        }

        if (type.IsPrimitive || type == typeof(decimal))
        {
            var number = value.Kind == PropertyValueKind.String
                ? double.Parse(value.AsString, CultureInfo.InvariantCulture)
                : value.AsNumber;
            return Convert.ChangeType(number, type, CultureInfo.InvariantCulture);
        }

        if (type.IsEnum)
        {
            return Enum.Parse(type, value.AsString, ignoreCase: true);
        }

        if (type == typeof(PropertyMap))
        {
            return value.AsObject;
        }

        if (type == typeof(JsonElement))
        {
            using var document = JsonDocument.Parse(PropertyJson.ToJson(value, PropertyJsonMode.Plaintext));
            return document.RootElement.Clone();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            var itemType = type.GetGenericArguments()[0];
            var items = value.AsArray.Select(v => FromProperty(v, itemType)).ToArray();
            var createRange = typeof(ImmutableArray).GetMethods()
                .First(static m => m.Name == nameof(ImmutableArray.CreateRange) && m.GetParameters().Length == 1)
                .MakeGenericMethod(itemType);
            var typed = Array.CreateInstance(itemType, items.Length);
            Array.Copy(items, typed, items.Length);
            return createRange.Invoke(null, [typed]);
        }

        if (type.IsArray)
        {
            var itemType = type.GetElementType()!;
            var source = value.AsArray;
            var array = Array.CreateInstance(itemType, source.Length);
            for (var i = 0; i < source.Length; i++)
            {
                array.SetValue(FromProperty(source[i], itemType), i);
            }

            return array;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableDictionary<,>) &&
            type.GetGenericArguments()[0] == typeof(string))
        {
            var valueType = type.GetGenericArguments()[1];
            var builder = typeof(ImmutableDictionary).GetMethods()
                .First(static m => m.Name == nameof(ImmutableDictionary.CreateBuilder) && m.GetParameters().Length == 0)
                .MakeGenericMethod(typeof(string), valueType)
                .Invoke(null, null)!;
            var add = builder.GetType().GetMethod("Add", [typeof(string), valueType])!;
            foreach (var (key, item) in value.AsObject)
            {
                add.Invoke(builder, [key, FromProperty(item, valueType)]);
            }

            return builder.GetType().GetMethod("ToImmutable")!.Invoke(builder, null);
        }

        throw new InvalidCastException($"No conversion from a property value to {type.Name}.");
    }

    /// <summary>Converts a property value to plain .NET objects: string, double, bool, lists and dictionaries.</summary>
    public static object? ToPlainObject(PropertyValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Unwrapped.Kind switch
        {
            PropertyValueKind.Null or PropertyValueKind.Unknown => null,
            PropertyValueKind.Bool => value.Unwrapped.AsBool,
            PropertyValueKind.Number => value.Unwrapped.AsNumber,
            PropertyValueKind.String => value.Unwrapped.AsString,
            PropertyValueKind.Array => value.Unwrapped.AsArray.Select(ToPlainObject).ToImmutableArray(),
            PropertyValueKind.Object => value.Unwrapped.AsObject.ToImmutableDictionary(static kv => kv.Key, static kv => ToPlainObject(kv.Value)),
            _ => null,
        };
    }

    /// <summary>The public properties of an args or input type, with their property-bag names.</summary>
    internal static ImmutableArray<(string Name, PropertyInfo Property)> MembersOf(Type type) =>
        s_members.GetOrAdd(type, static t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(static p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(static p => (p.GetCustomAttribute<InputAttribute>()?.Name ?? CamelCase(p.Name), p))
            .OrderBy(static m => m.Item1, StringComparer.Ordinal)
            .ToImmutableArray());

    internal static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static PropertyValue FromDictionary(IDictionary dictionary)
    {
        var builder = PropertyMap.CreateBuilder();
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = entry.Key as string ?? throw new InfraException("Only string-keyed dictionaries can be property values.");
            builder[key] = ToProperty(entry.Value);
        }

        return PropertyValue.Create(builder.ToPropertyMap());
    }

    private static PropertyValue FromObject(object value)
    {
        var builder = PropertyMap.CreateBuilder();
        foreach (var (name, property) in MembersOf(value.GetType()))
        {
            var item = property.GetValue(value);
            if (item is not null)
            {
                builder[name] = ToProperty(item);
            }
        }

        return PropertyValue.Create(builder.ToPropertyMap());
    }
}
