using System.Collections.Immutable;
using System.Globalization;
using Infra.Values;

namespace Infra.Policies;

/// <summary>
/// A policy's (or pack's) settings for one stack: the stack's values checked against the schema, with defaults
/// filled in. Reading a key the schema does not declare is a bug in the policy and throws.
/// </summary>
public sealed class PolicyConfig
{
    private readonly PolicyConfigSchema _schema;

    private PolicyConfig(PolicyConfigSchema schema, PropertyMap values)
    {
        _schema = schema;
        Values = values;
    }

    /// <summary>No settings.</summary>
    public static PolicyConfig Empty { get; } = new(PolicyConfigSchema.Empty, PropertyMap.Empty);

    /// <summary>Every setting with a value (set by the stack or defaulted).</summary>
    public PropertyMap Values { get; }

    /// <summary>True when <paramref name="key"/> has a value.</summary>
    public bool Has(string key) => Values.ContainsKey(Declared(key).Key);

    /// <summary>The boolean setting <paramref name="key"/>.</summary>
    public bool GetBoolean(string key) => Value(key).AsBool;

    /// <summary>The whole-number setting <paramref name="key"/>.</summary>
    public long GetInt64(string key) => (long)Value(key).AsNumber;

    /// <summary>The number setting <paramref name="key"/>.</summary>
    public double GetNumber(string key) => Value(key).AsNumber;

    /// <summary>The string setting <paramref name="key"/>, or <see langword="null"/> when it has no value.</summary>
    public string? GetString(string key) => Values.GetValueOrDefault(Declared(key).Key) is { } value ? value.AsString : null;

    /// <summary>The list setting <paramref name="key"/>, or an empty list when it has no value.</summary>
    public ImmutableArray<string> GetStringList(string key) =>
        Values.GetValueOrDefault(Declared(key).Key) is { } value ? [.. value.AsArray.Select(static v => v.AsString)] : [];

    /// <summary>
    /// Checks <paramref name="values"/> against <paramref name="schema"/> and fills in defaults.
    /// <paramref name="fail"/> builds the exception for a bad key, from the key and a message.
    /// </summary>
    internal static PolicyConfig Bind(PolicyConfigSchema schema, PropertyMap values, Func<string, string, Exception> fail)
    {
        foreach (var key in values.Keys)
        {
            if (schema.Find(key) is null)
            {
                var known = schema.Properties.IsEmpty ? "it takes no settings besides 'level'" : $"known: {string.Join(", ", schema.Properties.Select(static p => p.Key))}, level";
                throw fail(key, $"unknown setting {ErrorText.Quote(key)} ({known}).");
            }
        }

        var builder = PropertyMap.CreateBuilder();
        foreach (var property in schema.Properties)
        {
            var value = values.GetValueOrDefault(property.Key)?.Unwrapped;
            if (value is null || value.IsNull)
            {
                if (property.Default is { } fallback)
                {
                    builder[property.Key] = fallback;
                }
                else if (property.Required)
                {
                    throw fail(property.Key, $"'{property.Key}' is required: {property.Description}");
                }

                continue;
            }

            builder[property.Key] = Check(property, value) is { } problem ? throw fail(property.Key, problem) : value;
        }

        return new PolicyConfig(schema, builder.ToPropertyMap());
    }

    private static string? Check(PolicyConfigProperty property, PropertyValue value)
    {
        var expected = $"'{property.Key}' must be {Article(property)}, got {Show(value)}.";
        switch (property.Type)
        {
            case PolicyConfigType.Boolean:
                return value.Kind == PropertyValueKind.Bool ? null : expected;
            case PolicyConfigType.Integer or PolicyConfigType.Number:
                if (value.Kind != PropertyValueKind.Number || (property.Type == PolicyConfigType.Integer && value.AsNumber != Math.Floor(value.AsNumber)))
                {
                    return expected;
                }

                return property.Minimum is { } minimum && value.AsNumber < minimum
                    ? $"'{property.Key}' must be at least {minimum.ToString(CultureInfo.InvariantCulture)}, got {Show(value)}."
                    : null;
            case PolicyConfigType.String:
                return value.Kind != PropertyValueKind.String ? expected : CheckAllowed(property, value.AsString);
            default:
                if (value.Kind != PropertyValueKind.Array || value.AsArray.Any(static item => item.Kind != PropertyValueKind.String))
                {
                    return expected;
                }

                return value.AsArray.Select(item => CheckAllowed(property, item.AsString)).FirstOrDefault(static p => p is not null);
        }
    }

    private static string? CheckAllowed(PolicyConfigProperty property, string text) =>
        property.AllowedValues.IsEmpty || property.AllowedValues.Contains(text, StringComparer.Ordinal)
            ? null
            : $"'{property.Key}' does not allow {ErrorText.Quote(text)} (allowed: {string.Join(", ", property.AllowedValues)}).";

    private static string Article(PolicyConfigProperty property) => property.Type switch
    {
        PolicyConfigType.Integer => "an integer",
        PolicyConfigType.StringList => "a list of strings",
        _ => "a " + property.TypeName,
    };

    private static string Show(PropertyValue value) => value.Kind switch
    {
        PropertyValueKind.String => ErrorText.Quote(value.AsString),
        PropertyValueKind.Object => "a mapping",
        PropertyValueKind.Array => "a list",
        _ => value.ToString(),
    };

    private PropertyValue Value(string key) =>
        Values.GetValueOrDefault(Declared(key).Key)
        ?? throw new InvalidOperationException($"The config key '{key}' has no value and no default; give it a default or mark it required.");

    private PolicyConfigProperty Declared(string key) =>
        _schema.Find(key) ?? throw new InvalidOperationException($"The config key '{key}' is not declared in the policy's schema.");
}
