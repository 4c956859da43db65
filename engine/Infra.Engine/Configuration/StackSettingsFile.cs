using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Infra.Values;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Infra.Configuration;

/// <summary>One config value as stored in a stack settings file.</summary>
/// <param name="Value">Plaintext for plain values, ciphertext for secrets, JSON for structured values.</param>
/// <param name="IsSecret">True for <c>secure:</c> values.</param>
/// <param name="IsObject">True for structured (mapping or list) values.</param>
public sealed record ConfigValue(string Value, bool IsSecret = false, bool IsObject = false)
{
    /// <summary>Never prints a secret's ciphertext or plaintext, only <c>[secret]</c>.</summary>
    public override string ToString() => IsSecret ? "[secret]" : Value;
}

/// <summary>
/// A stack settings file, <c>environments/Pulumi.&lt;stack&gt;.yaml</c>: namespaced config keys, <c>secure:</c>
/// values, the secrets provider's settings and the stack's policy settings.
/// </summary>
/// <example>
/// <code>
/// secretsprovider: passphrase
/// encryptionsalt: v1:...
/// config:
///   infra:kind: tenant
///   tenant:id: acme
///   postgres:connectionString:
///     secure: v1:...
/// policies:
///   compliance:
///     min-backup-retention: { level: mandatory, minDays: 30 }
/// </code>
/// </example>
public sealed record StackSettingsFile
{
    private static readonly string[] s_topLevelKeys = ["secretsprovider", "encryptionsalt", "config", "policies"];

    /// <summary>The file's path.</summary>
    public required string Path { get; init; }

    /// <summary>The secrets provider, e.g. <c>passphrase</c>.</summary>
    public string? SecretsProvider { get; init; }

    /// <summary>The passphrase provider's salt and check value.</summary>
    public string? EncryptionSalt { get; init; }

    /// <summary>Config values by full key.</summary>
    public ImmutableSortedDictionary<string, ConfigValue> Config { get; init; } =
        ImmutableSortedDictionary.Create<string, ConfigValue>(StringComparer.Ordinal);

    /// <summary>The <c>policies</c> section as a property value (an object), or <see langword="null"/>.</summary>
    public PropertyValue? Policies { get; init; }

    /// <summary>Loads a settings file; a missing file gives empty settings.</summary>
    /// <exception cref="ConfigException">The file is malformed.</exception>
    public static StackSettingsFile Load(string path) =>
        File.Exists(path) ? FromMapping(YamlFiles.LoadMapping(path), path) : new StackSettingsFile { Path = path };

    /// <summary>
    /// Parses settings held as text rather than in a file (a config store in a database); <paramref name="path"/> is
    /// the name errors give the settings.
    /// </summary>
    /// <exception cref="ConfigException">The text is malformed.</exception>
    public static StackSettingsFile Parse(string text, string path)
    {
        var stream = SafeYaml.Parse(text, path);
        var root = stream.Documents.Count == 0
            ? new YamlMappingNode()
            : stream.Documents[0].RootNode as YamlMappingNode ?? throw new ConfigException(path, null, "expected a YAML mapping at the top level.");
        return FromMapping(root, path);
    }

    private static StackSettingsFile FromMapping(YamlMappingNode root, string path)
    {
        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>())
        {
            if (!s_topLevelKeys.Contains(key.Value, StringComparer.Ordinal))
            {
                throw new ConfigException(path, null,
                    $"unknown top-level key {ErrorText.Quote(key.Value)} at line {key.Start.Line}; expected one of {string.Join(", ", s_topLevelKeys)}.");
            }
        }

        var config = ImmutableSortedDictionary.CreateBuilder<string, ConfigValue>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) && configNode is not YamlScalarNode { Value: null or "" })
        {
            if (configNode is not YamlMappingNode configMap)
            {
                throw new ConfigException(path, "config", "expected a mapping of config keys to values.");
            }

            foreach (var (keyNode, valueNode) in configMap.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
                if (!key.Contains(':', StringComparison.Ordinal))
                {
                    throw new ConfigException(path, key, $"config keys must be namespaced, like 'tenant:{key}' (line {keyNode.Start.Line}).");
                }

                config[key] = ReadValue(key, valueNode, path);
            }
        }

        PropertyValue? policies = null;
        if (root.Children.TryGetValue(new YamlScalarNode("policies"), out var policiesNode))
        {
            policies = YamlToProperty(policiesNode);
            if (policies.Kind is not (PropertyValueKind.Object or PropertyValueKind.Null))
            {
                throw new ConfigException(path, "policies", "expected a mapping of policy packs to their policy settings.");
            }
        }

        return new StackSettingsFile
        {
            Path = path,
            SecretsProvider = YamlFiles.ScalarOrNull(root, "secretsprovider", path),
            EncryptionSalt = YamlFiles.ScalarOrNull(root, "encryptionsalt", path),
            Config = config.ToImmutable(),
            Policies = policies,
        };
    }

    /// <summary>Writes the file atomically (a temporary file renamed over the old one).</summary>
    /// <exception cref="ConfigException">The file would exceed <see cref="SafeYaml.MaxFileBytes"/>; nothing is written.</exception>
    public void Save()
    {
        var text = ToYaml();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, Path, overwrite: true);
    }

    /// <summary>The settings as the YAML text of the file.</summary>
    /// <exception cref="ConfigException">The text would exceed <see cref="SafeYaml.MaxFileBytes"/>, so it could never be read back.</exception>
    public string ToYaml()
    {
        var root = new YamlMappingNode();
        if (SecretsProvider is not null)
        {
            root.Add("secretsprovider", SecretsProvider);
        }

        if (EncryptionSalt is not null)
        {
            root.Add("encryptionsalt", EncryptionSalt);
        }

        var config = new YamlMappingNode();
        foreach (var (key, value) in Config)
        {
            config.Add(key, WriteValue(value));
        }

        root.Add("config", config);
        if (Policies is { Kind: PropertyValueKind.Object } policies)
        {
            root.Add("policies", PropertyToYaml(policies));
        }

        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder, CultureInfo.InvariantCulture))
        {
            new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        }

        var text = builder.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.EndsWith("...\n", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        if (Encoding.UTF8.GetByteCount(text) > SafeYaml.MaxFileBytes)
        {
            // Written, the file could never be read back; refuse before anything changes.
            throw new ConfigException(Path, null, $"the settings would be larger than {SafeYaml.MaxFileBytes / (1024 * 1024)} MiB, the limit for a YAML file; nothing was written.");
        }

        return text;
    }

    private static ConfigValue ReadValue(string key, YamlNode node, string path)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return new ConfigValue(scalar.Value ?? string.Empty);
            case YamlMappingNode map when map.Children.Count == 1 &&
                                          map.Children.TryGetValue(new YamlScalarNode("secure"), out var secure):
                return secure is YamlScalarNode { Value: { } ciphertext }
                    ? new ConfigValue(ciphertext, IsSecret: true)
                    : throw new ConfigException(path, key, "a 'secure' value must be a ciphertext string.");
            default:
                return new ConfigValue(PropertyJson.ToJson(YamlToProperty(node), PropertyJsonMode.Plaintext), IsObject: true);
        }
    }

    private static YamlNode WriteValue(ConfigValue value)
    {
        if (value.IsSecret)
        {
            return new YamlMappingNode { { "secure", value.Value } };
        }

        if (value.IsObject)
        {
            return PropertyToYaml(PropertyJson.Parse(value.Value, PropertyJsonMode.Plaintext));
        }

        return QuotedIfNeeded(value.Value);
    }

    private static YamlScalarNode QuotedIfNeeded(string text)
    {
        // Keep strings that YAML would read as another type (numbers, booleans, null) as strings.
        var node = new YamlScalarNode(text);
        if (text.Length == 0 || text.StartsWith('#') || text.Contains(": ", StringComparison.Ordinal) || text.StartsWith(' ') ||
            text is "null" or "~" || text.StartsWith('{') || text.StartsWith('[') || text.StartsWith('*') || text.StartsWith('&') ||
            text.StartsWith('!') || text.StartsWith('%') || text.StartsWith('@') || text.StartsWith('`') || text.StartsWith('"') ||
            text.StartsWith('\'') || text.Contains('\n', StringComparison.Ordinal))
        {
            node.Style = ScalarStyle.DoubleQuoted;
        }

        return node;
    }

    /// <summary>Converts a YAML node to a property value: scalars become strings, numbers or booleans.</summary>
    internal static PropertyValue YamlToProperty(YamlNode node) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when scalar.Value is null or "null" or "~" or "" => PropertyValue.Null,
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when scalar.Value is "true" or "false" => PropertyValue.Create(scalar.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
            PropertyValue.Create(number),
        YamlScalarNode scalar => PropertyValue.Create(scalar.Value ?? string.Empty),
        YamlSequenceNode sequence => PropertyValue.Create(sequence.Children.Select(YamlToProperty)),
        YamlMappingNode map => PropertyValue.Create(PropertyMap.Create(map.Children.Select(static kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? string.Empty, YamlToProperty(kv.Value))))),
        _ => PropertyValue.Null,
    };

    private static YamlNode PropertyToYaml(PropertyValue value)
    {
        switch (value.Unwrapped.Kind)
        {
            case PropertyValueKind.Object:
                var map = new YamlMappingNode();
                foreach (var (key, item) in value.Unwrapped.AsObject)
                {
                    map.Add(key, PropertyToYaml(item));
                }

                return map;
            case PropertyValueKind.Array:
                return new YamlSequenceNode(value.Unwrapped.AsArray.Select(PropertyToYaml));
            case PropertyValueKind.String:
                return QuotedIfNeeded(value.Unwrapped.AsString);
            case PropertyValueKind.Null:
                return new YamlScalarNode("null");
            default:
                return new YamlScalarNode(value.Unwrapped.ToString());
        }
    }
}
