using System.Collections.Immutable;
using System.Text.Json;
using Infra.Plugins.Runtime;

namespace Infra.Plugins.Manifest;

/// <summary>
/// A plugin's manifest, <c>plugin.json</c> at the root of its folder: who it is, the protocol it speaks, how to build
/// it from a clean clone and how to run it.
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

    /// <summary>The plugin's semantic version.</summary>
    public required string Version { get; init; }

    /// <summary><see cref="ProviderKind"/> or <see cref="PolicyKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The protocol it speaks, e.g. <c>infra-plugin/1</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The runtime it needs: <c>node</c>, <c>python</c>, <c>java</c> or <c>dotnet</c>.</summary>
    public string? Runtime { get; init; }

    /// <summary>The command that runs it, relative to its folder.</summary>
    public required ImmutableArray<string> Command { get; init; }

    /// <summary>Commands that build it from a clean clone, in order, run in its folder.</summary>
    public ImmutableArray<ImmutableArray<string>> Build { get; init; } = [];

    /// <summary>Variables the plugin needs in its environment.</summary>
    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Capabilities it asks for (e.g. <c>network</c>), granted or not by the project.</summary>
    public ImmutableArray<string> Capabilities { get; init; } = [];

    /// <summary>Other plugins it depends on, name to version range.</summary>
    public ImmutableDictionary<string, string> Dependencies { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The SDK and version it was built with.</summary>
    public string? Sdk { get; init; }

    /// <summary>The folder the manifest was read from.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Directory { get; init; } = string.Empty;

    /// <summary>The kind of a provider plugin.</summary>
    public const string ProviderKind = "provider";

    /// <summary>The kind of a policy pack plugin.</summary>
    public const string PolicyKind = "policy";

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
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

        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(path), s_options);
        }
        catch (JsonException ex)
        {
            throw new ConfigException(path, ex.Path?.TrimStart('$', '.'), ex.Message.Split(". Path:")[0].TrimEnd('.') + ".", ex);
        }

        manifest = (manifest ?? throw new ConfigException(path, null, "is empty.")) with { Directory = full };
        manifest.Validate(path);
        return manifest;
    }

    /// <summary>The command that runs the plugin, in its folder, with its environment.</summary>
    public PluginCommand ToCommand() => new(Command, Directory) { Environment = Environment };

    /// <summary>How to run the plugin, with defaults for the rest.</summary>
    public PluginOptions ToOptions() => new() { Name = Name, Command = ToCommand() };

    private void Validate(string path)
    {
        if (Kind is not (ProviderKind or PolicyKind))
        {
            throw new ConfigException(path, "kind", $"'{Kind}' is not a plugin kind; use '{ProviderKind}' or '{PolicyKind}'.");
        }

        if (Command.IsDefaultOrEmpty || Command.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigException(path, "command", "give the command as a non-empty array of arguments, e.g. [\"node\", \"dist/index.js\"].");
        }

        if (!Build.IsDefault && Build.Any(static step => step.IsDefaultOrEmpty))
        {
            throw new ConfigException(path, "build", "each build step is a non-empty array of arguments.");
        }
    }
}
