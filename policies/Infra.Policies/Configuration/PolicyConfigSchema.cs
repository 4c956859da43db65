using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Policies;

/// <summary>
/// The settings a policy or pack accepts, with types, defaults and bounds. Immutable: each method returns a new
/// schema, so a schema is built once in a property initializer and shared by every stack.
/// </summary>
/// <example>
/// <code>
/// public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
///     .Integer("minDays", "The shortest retention allowed, in days.", defaultValue: 7, minimum: 1)
///     .StringList("registries", "Registries images may come from.", defaultValue: []);
/// </code>
/// </example>
public sealed class PolicyConfigSchema
{
    private PolicyConfigSchema(ImmutableArray<PolicyConfigProperty> properties) => Properties = properties;

    /// <summary>A schema with no settings.</summary>
    public static PolicyConfigSchema Empty { get; } = new([]);

    /// <summary>The settings, in declaration order.</summary>
    public ImmutableArray<PolicyConfigProperty> Properties { get; }

    /// <summary>Adds a boolean setting.</summary>
    public PolicyConfigSchema Boolean(string key, string description, bool? defaultValue = null, bool required = false) =>
        Add(new PolicyConfigProperty
        {
            Key = key, Type = PolicyConfigType.Boolean, Description = description, Required = required,
            Default = defaultValue is { } value ? PropertyValue.Create(value) : null,
        });

    /// <summary>Adds a whole-number setting.</summary>
    public PolicyConfigSchema Integer(string key, string description, long? defaultValue = null, long? minimum = null, bool required = false) =>
        Add(new PolicyConfigProperty
        {
            Key = key, Type = PolicyConfigType.Integer, Description = description, Required = required, Minimum = minimum,
            Default = defaultValue is { } value ? PropertyValue.Create(value) : null,
        });

    /// <summary>Adds a number setting.</summary>
    public PolicyConfigSchema Number(string key, string description, double? defaultValue = null, double? minimum = null, bool required = false) =>
        Add(new PolicyConfigProperty
        {
            Key = key, Type = PolicyConfigType.Number, Description = description, Required = required, Minimum = minimum,
            Default = defaultValue is { } value ? PropertyValue.Create(value) : null,
        });

    /// <summary>Adds a string setting, optionally limited to <paramref name="allowedValues"/>.</summary>
    public PolicyConfigSchema String(
        string key, string description, string? defaultValue = null, IEnumerable<string>? allowedValues = null, bool required = false) =>
        Add(new PolicyConfigProperty
        {
            Key = key, Type = PolicyConfigType.String, Description = description, Required = required,
            AllowedValues = allowedValues?.ToImmutableArray() ?? [],
            Default = defaultValue is null ? null : PropertyValue.Create(defaultValue),
        });

    /// <summary>Adds a list-of-strings setting, optionally limiting items to <paramref name="allowedValues"/>.</summary>
    public PolicyConfigSchema StringList(
        string key, string description, IEnumerable<string>? defaultValue = null, IEnumerable<string>? allowedValues = null, bool required = false) =>
        Add(new PolicyConfigProperty
        {
            Key = key, Type = PolicyConfigType.StringList, Description = description, Required = required,
            AllowedValues = allowedValues?.ToImmutableArray() ?? [],
            Default = defaultValue is null ? null : PropertyValue.Create(defaultValue.Select(PropertyValue.Create)),
        });

    /// <summary>The setting named <paramref name="key"/>, or <see langword="null"/>.</summary>
    public PolicyConfigProperty? Find(string key) => Properties.FirstOrDefault(p => p.Key == key);

    private PolicyConfigSchema Add(PolicyConfigProperty property)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(property.Key);
        ArgumentException.ThrowIfNullOrWhiteSpace(property.Description);
        if (Find(property.Key) is not null)
        {
            throw new ArgumentException($"The config key '{property.Key}' is declared twice.", nameof(property));
        }

        if (property.Key == PolicySettings.LevelKey)
        {
            throw new ArgumentException($"'{PolicySettings.LevelKey}' is reserved for the enforcement level and cannot be a config key.", nameof(property));
        }

        return new PolicyConfigSchema(Properties.Add(property));
    }
}
