using System.Collections.Immutable;
using System.Text.Json;
using Infra.Plugins.Runtime;
using Infra.Plugins.Versions;
using NuGet.Versioning;

namespace Infra.Plugins.Manifest;

/// <summary>
/// A plugin's manifest, <c>plugin.json</c> at the root of its folder: who it is, the protocol it speaks, what it
/// needs (runtime, capabilities, other plugins, SDK), how to build it from a clean clone, how to run it and what its
/// published package holds. The fields are written down in <c>docs/plugins/registry.md</c>.
/// </summary>
/// <example>
/// <code>
/// { "name": "dns", "version": "0.1.0", "kind": "provider", "protocol": "infra-plugin/1", "runtime": "node",
///   "command": ["node", "dist/src/index.js"], "build": [["npm", "ci"], ["npm", "run", "build"]],
///   "environment": {}, "capabilities": [], "dependencies": {}, "sdk": "@infra/plugin-sdk@0.1.0" }
/// </code>
/// </example>
public sealed record PluginManifest
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "plugin.json";

    /// <summary>The plugin's name; for a provider, the package it serves.</summary>
    public required string Name { get; init; }

    /// <summary>The plugin's semantic version (SemVer 2.0, e.g. <c>1.4.0</c> or <c>2.0.0-beta.1</c>).</summary>
    public required string Version { get; init; }

    /// <summary>What the plugin is for, in one sentence; shown by search and info.</summary>
    public string? Description { get; init; }

    /// <summary><see cref="ProviderKind"/>, <see cref="PolicyKind"/> or <see cref="UiKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The protocol it speaks: <c>infra-plugin/1</c> for providers and policy packs, <c>infra-ui/1</c> for UI plugins.</summary>
    public required string Protocol { get; init; }

    /// <summary>The runtime it needs: <c>node</c>, <c>python</c>, <c>java</c>, <c>dotnet</c>, or <c>browser</c> for a UI plugin.</summary>
    public string? Runtime { get; init; }

    /// <summary>The command that runs it, relative to its folder; none for a UI plugin.</summary>
    public ImmutableArray<string> Command { get; init; } = [];

    /// <summary>A UI plugin's ES module, relative to its folder, e.g. <c>dist/panel.js</c>.</summary>
    public string? Entry { get; init; }

    /// <summary>Commands that build it from a clean clone, in order, run in its folder.</summary>
    public ImmutableArray<ImmutableArray<string>> Build { get; init; } = [];

    /// <summary>Variables the plugin needs in its environment.</summary>
    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Capabilities it asks for (see <see cref="PluginCapabilities"/>), granted or not by the project.</summary>
    public ImmutableArray<string> Capabilities { get; init; } = [];

    /// <summary>Other plugins it depends on, name to version range (NuGet range syntax: <c>1.2.0</c>, <c>[1.2.0, 2.0.0)</c>).</summary>
    public ImmutableDictionary<string, string> Dependencies { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The SDK and version it was built with, <c>name@version</c>, e.g. <c>@infra/plugin-sdk@0.1.0</c>.</summary>
    public string? Sdk { get; init; }

    /// <summary>What <c>infra plugin publish</c> packs, when not the whole folder; see <see cref="PluginPublishSpec"/>.</summary>
    public PluginPublishSpec? Publish { get; init; }

    /// <summary>The parsed <see cref="Version"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public NuGetVersion SemanticVersion => NuGetVersion.Parse(Version);

    /// <summary>The parsed <see cref="Dependencies"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ImmutableDictionary<string, VersionRange> DependencyRanges =>
        Dependencies.ToImmutableDictionary(static d => d.Key, static d => VersionRange.Parse(d.Value), StringComparer.Ordinal);

    /// <summary>The folder the manifest was read from.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Directory { get; init; } = string.Empty;

    /// <summary>The kind of a provider plugin.</summary>
    public const string ProviderKind = "provider";

    /// <summary>The kind of a policy pack plugin.</summary>
    public const string PolicyKind = "policy";

    /// <summary>The kind of a portal UI plugin: an ES module loaded by the operator portal.</summary>
    public const string UiKind = "ui";

    /// <summary>The protocol a UI plugin speaks with its host page.</summary>
    public const string UiProtocol = "infra-ui/1";

    /// <summary>How manifests are read and written.</summary>
    internal static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Reads <c>plugin.json</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="ConfigException">The file is missing or malformed; the message names the file and field.</exception>
    public static PluginManifest Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        var path = Path.Combine(full, FileName);
        if (!File.Exists(path))
        {
            throw new ConfigException(path, null, $"not found; a plugin folder has a {FileName} at its root (name, version, kind, protocol, command).");
        }

        return Parse(File.ReadAllText(path), path) with { Directory = full };
    }

    /// <summary>Reads and validates a manifest's text; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="ConfigException">The manifest is malformed; the message names the field.</exception>
    public static PluginManifest Parse(string json, string path)
    {
        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ConfigException(path, ex.Path?.TrimStart('$', '.'), ex.Message.Split(". Path:")[0].TrimEnd('.') + ".", ex);
        }

        manifest = manifest ?? throw new ConfigException(path, null, "is empty.");
        manifest.Validate(path);
        return manifest;
    }

    /// <summary>The manifest as JSON, as <c>publish</c> writes it into a package.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    /// <summary>The command that runs the plugin, in its folder, with its environment.</summary>
    public PluginCommand ToCommand() => new(Command, Directory) { Environment = Environment };

    /// <summary>How to run the plugin, with defaults for the rest.</summary>
    public PluginOptions ToOptions() => new() { Name = Name, Command = ToCommand() };

    private void Validate(string path)
    {
        if (!PluginNames.IsValid(Name))
        {
            throw new ConfigException(path, "name", $"'{Name}' is not a plugin name; use 2 to 64 lower-case letters, digits and '-', starting with a letter.");
        }

        if (!NuGetVersion.TryParseStrict(Version, out _))
        {
            throw new ConfigException(path, "version", $"'{Version}' is not a semantic version; use MAJOR.MINOR.PATCH, e.g. 1.0.0 or 1.1.0-beta.1.");
        }

        if (Kind is not (ProviderKind or PolicyKind or UiKind))
        {
            throw new ConfigException(path, "kind", $"'{Kind}' is not a plugin kind; use '{ProviderKind}', '{PolicyKind}' or '{UiKind}'.");
        }

        if (Kind == UiKind)
        {
            ValidateUi(path);
        }
        else if (Command.IsDefaultOrEmpty || Command.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigException(path, "command", "give the command as a non-empty array of arguments, e.g. [\"node\", \"dist/index.js\"].");
        }

        foreach (var capability in Capabilities.IsDefault ? [] : Capabilities)
        {
            if (!PluginCapabilities.All.Contains(capability))
            {
                throw new ConfigException(path, "capabilities", $"'{capability}' is not a capability; use {string.Join(" or ", PluginCapabilities.All.Select(static c => $"'{c}'"))}.");
            }
        }

        foreach (var (dependency, range) in Dependencies)
        {
            if (!PluginNames.IsValid(dependency) || dependency == Name)
            {
                throw new ConfigException(path, $"dependencies.{dependency}", "name another plugin (lower-case letters, digits and '-').");
            }

            if (!VersionRange.TryParse(range, out _))
            {
                throw new ConfigException(path, $"dependencies.{dependency}", $"'{range}' is not a version range; use e.g. 1.2.0 (at least), [1.2.0, 2.0.0) or 1.*.");
            }
        }

        if (Sdk is not null && !SdkReference.TryParse(Sdk, out _))
        {
            throw new ConfigException(path, "sdk", $"'{Sdk}' is not an SDK reference; write NAME@VERSION, e.g. @infra/plugin-sdk@0.1.0.");
        }

        Publish?.Validate(path);

        if (!Build.IsDefault && Build.Any(static step => step.IsDefaultOrEmpty))
        {
            throw new ConfigException(path, "build", "each build step is a non-empty array of arguments.");
        }
    }

    private void ValidateUi(string path)
    {
        if (Protocol != UiProtocol)
        {
            throw new ConfigException(path, "protocol", $"a UI plugin speaks '{UiProtocol}', not '{Protocol}'.");
        }

        if (string.IsNullOrWhiteSpace(Entry) || !Entry.EndsWith(".js", StringComparison.Ordinal) || Path.IsPathRooted(Entry) || Entry.Split('/').Contains(".."))
        {
            throw new ConfigException(path, "entry", "a UI plugin names its ES module, a .js file inside its folder, e.g. \"dist/panel.js\".");
        }

        if (!Command.IsDefaultOrEmpty)
        {
            throw new ConfigException(path, "command", "a UI plugin runs in the portal's browser, not as a process; remove 'command'.");
        }
    }
}
