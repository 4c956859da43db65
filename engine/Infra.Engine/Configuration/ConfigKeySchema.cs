using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Infra.Configuration;

/// <summary>The declared type of a config key.</summary>
public enum ConfigValueType
{
    /// <summary>Any string.</summary>
    String,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A structured value: a mapping or a list.</summary>
    Object,
}

/// <summary>What <c>Pulumi.yaml</c> declares about one config key.</summary>
public sealed record ConfigKeySchema
{
    /// <summary>The full key, <c>namespace:name</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The value type.</summary>
    public ConfigValueType Type { get; init; } = ConfigValueType.String;

    /// <summary>A description for people.</summary>
    public string? Description { get; init; }

    /// <summary>The value used when a stack sets none.</summary>
    public string? Default { get; init; }

    /// <summary>True when every stack must set the key.</summary>
    public bool Required { get; init; }

    /// <summary>True when the value must be set with <c>--secret</c>.</summary>
    public bool Secret { get; init; }

    /// <summary>The allowed values, when the key is an enumeration.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>Returns an error message when <paramref name="value"/> does not fit the schema, else <see langword="null"/>.</summary>
    public string? Validate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (Type)
        {
            case ConfigValueType.Integer when !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _):
                return $"{ErrorText.Quote(value)} is not an integer";
            case ConfigValueType.Boolean when value is not ("true" or "false" or "True" or "False"):
                return $"{ErrorText.Quote(value)} is not a boolean (true or false)";
        }

        if (AllowedValues.Count > 0 && !AllowedValues.Contains(value, StringComparer.Ordinal))
        {
            return $"{ErrorText.Quote(value)} is not one of {string.Join(", ", AllowedValues)}";
        }

        return null;
    }

    internal static ConfigKeySchema Parse(string key, YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            throw new ConfigException(path, key, "expected a mapping with 'type', 'default', 'required' or 'description'.");
        }

        var typeText = YamlFiles.ScalarOrNull(map, "type", path) ?? "string";
        var type = typeText switch
        {
            "string" => ConfigValueType.String,
            "integer" => ConfigValueType.Integer,
            "boolean" => ConfigValueType.Boolean,
            "object" or "array" => ConfigValueType.Object,
            _ => throw new ConfigException(path, key, $"unknown type {ErrorText.Quote(typeText)}; use string, integer, boolean, object or array."),
        };

        var allowed = new List<string>();
        if (map.Children.TryGetValue(new YamlScalarNode("enum"), out var enumNode))
        {
            if (enumNode is not YamlSequenceNode sequence)
            {
                throw new ConfigException(path, key, "'enum' must be a list of allowed values.");
            }

            allowed.AddRange(sequence.Children.OfType<YamlScalarNode>().Select(static s => s.Value ?? string.Empty));
        }

        var schema = new ConfigKeySchema
        {
            Key = key,
            Type = type,
            Description = YamlFiles.ScalarOrNull(map, "description", path),
            Default = map.Children.TryGetValue(new YamlScalarNode("default"), out var d) && d is YamlScalarNode ds ? ds.Value : null,
            Required = bool.TryParse(YamlFiles.ScalarOrNull(map, "required", path), out var required) && required,
            Secret = bool.TryParse(YamlFiles.ScalarOrNull(map, "secret", path), out var secret) && secret,
            AllowedValues = allowed,
        };

        if (schema.Default is { } defaultValue && schema.Validate(defaultValue) is { } problem)
        {
            throw new ConfigException(path, key, $"the default {problem}.");
        }

        return schema;
    }
}
