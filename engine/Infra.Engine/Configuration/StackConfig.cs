using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Infra.Values;
using Microsoft.Extensions.Configuration;

namespace Infra.Configuration;

/// <summary>
/// A stack's configuration, layered with Microsoft.Extensions.Configuration: schema defaults, then the stack
/// settings file, then <c>INFRA_CONFIG_&lt;namespace&gt;__&lt;key&gt;</c> environment variables, then explicit
/// overrides (Automation API). Keys are namespaced: <c>tenant:id</c>, <c>postgres:connectionString</c>.
/// </summary>
/// <remarks>
/// Secret values are decrypted only when read, and only through <see cref="RequireSecret"/> or
/// <see cref="GetSecret"/>, which return secret outputs. Reading a secret with <see cref="Get"/> is an error,
/// so a secret cannot leak into a plain string by accident.
/// </remarks>
public sealed class StackConfig
{
    /// <summary>The prefix of environment variables that override config.</summary>
    public const string EnvironmentPrefix = "INFRA_CONFIG_";

    // Marks a value that came from a 'secure:' entry; the rest of the string is the ciphertext.
    private const string SecureMarker = "\u001Fsecure\u001F";

    private readonly IConfigurationRoot _root;
    private readonly string _stack;
    private readonly Func<ISecretCipher?> _cipher;
    private readonly ImmutableHashSet<string> _secretKeys;
    private string[]? _keys;

    internal StackConfig(
        ProjectFile project,
        string stack,
        StackSettingsFile settings,
        Func<ISecretCipher?> cipher,
        IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyDictionary<string, string?>? overrides = null)
    {
        Project = project;
        Settings = settings;
        _stack = stack;
        _cipher = cipher;
        var defaults = project.ConfigSchema.Values
            .Where(static s => s.Default is not null)
            .ToDictionary(static s => s.Key, static s => s.Default);
        var fromFile = settings.Config.ToDictionary(
            static kv => kv.Key,
            static kv => (string?)(kv.Value.IsSecret ? SecureMarker + kv.Value.Value : kv.Value.Value));
        var fromEnvironment = ReadEnvironment(environment);
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(defaults)
            .AddInMemoryCollection(fromFile)
            .AddInMemoryCollection(fromEnvironment);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        _root = builder.Build();
        _secretKeys = settings.Config.Where(static kv => kv.Value.IsSecret).Select(static kv => kv.Key)
            .Concat(project.ConfigSchema.Values.Where(static s => s.Secret).Select(static s => s.Key))
            .ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
        EnvironmentKeys = fromEnvironment.Keys.ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The project the stack belongs to.</summary>
    public ProjectFile Project { get; }

    /// <summary>The stack settings file the values came from.</summary>
    public StackSettingsFile Settings { get; }

    /// <summary>Keys set through environment variables.</summary>
    internal ImmutableHashSet<string> EnvironmentKeys { get; }

    /// <summary>Every key with a value, in ordinal order.</summary>
    /// <remarks>
    /// Listed once: the layers are in-memory copies that nothing changes after construction, and an up lists them for
    /// the check and for every provider's config bag, each a walk of the whole configuration tree.
    /// </remarks>
    public IReadOnlyList<string> Keys => _keys ??= [.. _root.AsEnumerable()
        .Where(static kv => kv.Value is not null && kv.Key.Contains(':', StringComparison.Ordinal))
        .Select(static kv => kv.Key)
        .Order(StringComparer.Ordinal)];

    /// <summary>True when <paramref name="key"/> holds a secret.</summary>
    public bool IsSecret(string key) => _secretKeys.Contains(key) || (_root[key]?.StartsWith(SecureMarker, StringComparison.Ordinal) ?? false);

    /// <summary>Reads a plain value, or <see langword="null"/> when unset.</summary>
    /// <exception cref="ConfigException">The key holds a secret; use <see cref="RequireSecret"/>.</exception>
    public string? Get(string key)
    {
        var raw = _root[key];
        if (raw is null)
        {
            return null;
        }

        if (IsSecret(key))
        {
            throw Error(key, "holds a secret; read it with RequireSecret or GetSecret so it stays secret.");
        }

        return raw;
    }

    /// <summary>Reads a plain value that must be set.</summary>
    /// <exception cref="MissingConfigException">The key is not set.</exception>
    public string Require(string key) =>
        Get(key) ?? throw new MissingConfigException(Settings.Path, key);

    /// <summary>Reads an integer, or <see langword="null"/> when unset.</summary>
    public int? GetInt32(string key)
    {
        var text = Get(key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(key, $"{ErrorText.Quote(text)} is not an integer.");
    }

    /// <summary>Reads an integer that must be set.</summary>
    /// <exception cref="MissingConfigException">The key is not set.</exception>
    public int RequireInt32(string key) =>
        GetInt32(key) ?? throw new MissingConfigException(Settings.Path, key, valueHint: "number");

    /// <summary>Reads a boolean, or <see langword="null"/> when unset.</summary>
    public bool? GetBoolean(string key)
    {
        var text = Get(key);
        if (text is null)
        {
            return null;
        }

        return bool.TryParse(text, out var value) ? value : throw Error(key, $"{ErrorText.Quote(text)} is not true or false.");
    }

    /// <summary>Reads a structured value (a YAML mapping or list in the settings file) as <typeparamref name="T"/>.</summary>
    public T? GetObject<T>(string key)
    {
        var text = Get(key);
        return text is null ? default : ParseObject<T>(text, Settings.Path, key);
    }

    /// <summary>Reads a structured config value (JSON) as <typeparamref name="T"/>, as <see cref="GetObject{T}"/> does.</summary>
    /// <exception cref="ConfigException">The JSON does not fit <typeparamref name="T"/>; the message names <paramref name="file"/> and <paramref name="key"/>.</exception>
    public static T? ParseObject<T>(string text, string file, string key) =>
        TryParseObject<T>(text, out var value, out var problem) ? value : throw new ConfigException(file, key, problem);

    /// <summary>Reads a structured config value (JSON) as <typeparamref name="T"/>, or says why it does not fit.</summary>
    public static bool TryParseObject<T>(string text, out T? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            value = JsonSerializer.Deserialize<T>(text, s_json);
            problem = null;
            return true;
        }
        catch (JsonException ex)
        {
            value = default;
            problem = $"does not hold a valid {typeof(T).Name}: {ex.Message.Split('.')[0]}.";
            return false;
        }
    }

    /// <summary>Reads a secret as a secret output, or <see langword="null"/> when unset.</summary>
    public Output<string>? GetSecret(string key)
    {
        var value = RevealSecret(key);
        return value is null ? null : Output.CreateSecret(value);
    }

    /// <summary>Reads a secret that must be set, as a secret output.</summary>
    /// <exception cref="MissingConfigException">The key is not set.</exception>
    public Output<string> RequireSecret(string key) =>
        GetSecret(key) ?? throw new MissingConfigException(Settings.Path, key, secret: true);

    /// <summary>The values of one namespace as a provider's config bag; secrets are marked secret.</summary>
    public PropertyMap ForNamespace(string ns)
    {
        var prefix = ns + ":";
        var builder = PropertyMap.CreateBuilder();
        foreach (var key in Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            var name = key[prefix.Length..];
            builder[name] = IsSecret(key)
                ? PropertyValue.Secret(PropertyValue.Create(RevealSecret(key)))
                : PropertyValue.Create(_root[key]);
        }

        return builder.ToPropertyMap();
    }

    /// <summary>
    /// Decrypts a secret's plaintext, for tools that show it on explicit request (<c>config get --show-secrets</c>).
    /// Programs read secrets with <see cref="RequireSecret"/>, which keeps them secret.
    /// </summary>
    public string? RevealSecret(string key)
    {
        var raw = _root[key];
        if (raw is null)
        {
            return null;
        }

        if (!raw.StartsWith(SecureMarker, StringComparison.Ordinal))
        {
            return raw;
        }

        var cipher = _cipher() ?? throw Error(key, "is a secure value but the stack has no encryptionsalt to decrypt it with.");
        try
        {
            return cipher.Decrypt(raw[SecureMarker.Length..], SecretContext.ConfigValue(_stack, key));
        }
        catch (InfraException ex)
        {
            throw new ConfigException(Settings.Path, key,
                $"does not decrypt for this key and stack: it was encrypted for another key or stack, or altered; set it again with 'infra config set --secret {key}'.",
                ex);
        }
    }

    /// <summary>Checks every key against the project's schema: unknown keys, types, allowed values, required keys.</summary>
    /// <exception cref="ConfigException">The first problem found, naming the file (or variable) and key.</exception>
    public void Validate()
    {
        var schema = Project.ConfigSchema;
        foreach (var key in Keys)
        {
            var source = EnvironmentKeys.Contains(key) ? $"{EnvironmentPrefix}{key.Replace(":", "__", StringComparison.Ordinal)}" : Settings.Path;
            if (!schema.TryGetValue(key, out var keySchema))
            {
                throw new ConfigException(source, key, Project.UnknownKeyMessage(key));
            }

            if (!IsSecret(key) && keySchema.Type != ConfigValueType.Object && keySchema.Validate(_root[key]!) is { } problem)
            {
                throw new ConfigException(source, key, problem + ".");
            }
        }

        foreach (var required in schema.Values.Where(static s => s.Required))
        {
            if (_root[required.Key] is null)
            {
                throw new MissingConfigException(Settings.Path, required.Key, secret: required.Secret);
            }
        }
    }

    private ConfigException Error(string key, string message) => new(Settings.Path, key, message);

    private static Dictionary<string, string?> ReadEnvironment(IReadOnlyDictionary<string, string?>? environment)
    {
        // Only namespaced keys (with '__' standing for ':') are config; INFRA_CONFIG_PASSPHRASE and friends are not.
        var source = environment ?? Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(static e => (string)e.Key, static e => (string?)e.Value);
        return source
            .Where(static kv => kv.Key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) &&
                                kv.Key.AsSpan(EnvironmentPrefix.Length).Contains("__", StringComparison.Ordinal))
            .ToDictionary(static kv => kv.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), static kv => kv.Value);
    }

    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };
}
