using System.Collections.Immutable;
using Infra.Configuration;
using Infra.Values;

namespace Infra.Policies;

/// <summary>
/// A stack's policy settings: the <c>policies</c> section of <c>environments/Pulumi.&lt;stack&gt;.yaml</c>. Each key
/// is a pack; under it, <c>level</c> sets every policy's level, the pack's own settings sit beside it, and each
/// policy takes a level (<c>disabled</c>) or a mapping of <c>level</c> and its config.
/// </summary>
/// <example>
/// <code>
/// policies:
///   compliance:
///     production: true                          # a pack setting
///     min-backup-retention: { level: mandatory, minDays: 30 }
///     allowed-registries: { registries: [ghcr.io/acme, registry.k8s.io] }
///     health-probes: disabled
///   acme: advisory                              # every policy of the pack 'acme' at advisory
/// </code>
/// </example>
/// <remarks>The shape is checked here; names, levels and config are checked against the loaded packs when an
/// enforcer is created, so a typo fails the operation before anything runs.</remarks>
public sealed class PolicySettings
{
    /// <summary>The key that sets a level, at the pack's or at a policy's level.</summary>
    public const string LevelKey = "level";

    private PolicySettings(string source, ImmutableSortedDictionary<string, PropertyValue> packs)
    {
        Source = source;
        Packs = packs;
    }

    /// <summary>No settings: every policy at its default level and config.</summary>
    public static PolicySettings Empty { get; } = new("(no policy settings)", ImmutableSortedDictionary.Create<string, PropertyValue>(StringComparer.Ordinal));

    /// <summary>Where the settings came from (the settings file's path), for error messages.</summary>
    public string Source { get; }

    /// <summary>Each pack's raw section: a level name or a mapping.</summary>
    internal ImmutableSortedDictionary<string, PropertyValue> Packs { get; }

    /// <summary>The settings in a stack settings file (none when it has no <c>policies</c> section).</summary>
    public static PolicySettings FromStackSettings(StackSettingsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Parse(file.Policies, file.Path);
    }

    /// <summary>Reads a <c>policies</c> section.</summary>
    /// <param name="section">The section: an object, or <see langword="null"/> / JSON null for none.</param>
    /// <param name="source">Where it came from, for error messages.</param>
    /// <exception cref="ConfigException">The section is not a mapping of packs to levels or mappings.</exception>
    public static PolicySettings Parse(PropertyValue? section, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (section is null || section.IsNull)
        {
            return new PolicySettings(source, Empty.Packs);
        }

        if (section.Unwrapped.Kind != PropertyValueKind.Object)
        {
            throw new ConfigException(source, "policies", "expected a mapping of policy packs to their settings.");
        }

        var packs = ImmutableSortedDictionary.CreateBuilder<string, PropertyValue>(StringComparer.Ordinal);
        foreach (var (pack, value) in section.Unwrapped.AsObject)
        {
            if (value.IsNull)
            {
                // 'compliance:' with nothing under it: the pack at its defaults.
                packs[pack] = PropertyValue.EmptyObject;
                continue;
            }

            CheckLevelOrMapping(value, source, $"policies.{pack}", $"pack '{pack}'");
            if (value.Unwrapped.Kind == PropertyValueKind.Object)
            {
                foreach (var (key, entry) in value.Unwrapped.AsObject)
                {
                    if (key == LevelKey)
                    {
                        CheckLevel(entry, source, $"policies.{pack}.{key}", $"pack '{pack}'");
                    }
                }
            }

            packs[pack] = value.Unwrapped;
        }

        return new PolicySettings(source, packs.ToImmutable());
    }

    /// <summary>Reads a <c>policies</c> section written as JSON, e.g. in tests: <c>{"compliance": {"production": true}}</c>.</summary>
    /// <exception cref="ConfigException">The JSON is malformed or has the wrong shape.</exception>
    public static PolicySettings FromJson(string json, string source = "policy settings")
    {
        try
        {
            return Parse(PropertyJson.Parse(json, PropertyJsonMode.Plaintext), source);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ConfigException(source, "policies", $"invalid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Checks that <paramref name="value"/> is a level name or a mapping.</summary>
    internal static void CheckLevelOrMapping(PropertyValue value, string source, string key, string owner)
    {
        if (value.Unwrapped.Kind != PropertyValueKind.Object)
        {
            CheckLevel(value, source, key, owner, orMapping: true);
        }
    }

    /// <summary>Reads a level name, or fails naming the key and the valid names.</summary>
    internal static Infra.Policy.EnforcementLevel CheckLevel(PropertyValue value, string source, string key, string owner, bool orMapping = false) =>
        value.TryGetString(out var name) && EnforcementLevels.TryParse(name) is { } level
            ? level
            : throw new ConfigException(source, key,
                $"{owner}: expected a level ({string.Join(", ", EnforcementLevels.Names)}){(orMapping ? " or a mapping" : string.Empty)}, " +
                $"got {(value.TryGetString(out var text) ? ErrorText.Quote(text) : value.ToString())}.");
}
