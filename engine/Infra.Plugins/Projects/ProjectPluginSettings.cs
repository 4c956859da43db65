using System.Collections.Immutable;
using Infra.Configuration;
using Infra.Plugins.Manifest;
using Infra.Plugins.Registry;
using NuGet.Versioning;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Infra.Plugins.Projects;

/// <summary>What a project grants one plugin beyond its sandbox's defaults.</summary>
/// <param name="Network">Network access, given only if the plugin's manifest also asks for <c>network</c>.</param>
/// <param name="Paths">Project folders (relative) the plugin may read and write, given only if it asks for <c>filesystem</c>.</param>
public sealed record PluginGrant(bool Network, ImmutableArray<string> Paths)
{
    /// <summary>Nothing beyond the defaults.</summary>
    public static PluginGrant None { get; } = new(false, []);
}

/// <summary>
/// The <c>plugins:</c> section of a project's <c>Pulumi.yaml</c>: where plugins come from, which publishers the
/// project trusts, which plugins it needs (with version ranges), and what each plugin is granted. A project without
/// the section needs no plugins and no install step.
/// </summary>
/// <example>
/// <code>
/// plugins:
///   registry: https://plugins.example.com/   # or a folder, relative to the project
///   trustedKeys:
///     acme: ed25519:Xk3s...=
///   require:
///     dns: "[0.1.0, 0.2.0)"
///   grants:
///     dns: { filesystem: [zones] }
/// </code>
/// </example>
public sealed record ProjectPluginSettings
{
    /// <summary>The section's key in <c>Pulumi.yaml</c>.</summary>
    public const string SectionKey = "plugins";

    /// <summary>The project folder.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The registry's location: a folder (relative to the project) or an http(s) URL; <see langword="null"/> when none is set.</summary>
    public string? Registry { get; init; }

    /// <summary>The publishers whose signatures the project accepts.</summary>
    public TrustedKeys TrustedKeys { get; init; } = TrustedKeys.None;

    /// <summary>The plugins the project needs, name to version range.</summary>
    public ImmutableSortedDictionary<string, VersionRange> Requirements { get; init; } = ImmutableSortedDictionary<string, VersionRange>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>What each plugin is granted, by name; absent means <see cref="PluginGrant.None"/>.</summary>
    public ImmutableDictionary<string, PluginGrant> Grants { get; init; } = ImmutableDictionary<string, PluginGrant>.Empty;

    /// <summary>False when the project turns the sandbox off (<c>sandbox: false</c>), e.g. on a machine without bubblewrap.</summary>
    public bool Sandbox { get; init; } = true;

    /// <summary>The file the settings came from.</summary>
    public string FilePath => Path.Combine(ProjectDirectory, ProjectFile.FileName);

    /// <summary>The grant of <paramref name="plugin"/>.</summary>
    public PluginGrant GrantOf(string plugin) => Grants.TryGetValue(plugin, out var grant) ? grant : PluginGrant.None;

    /// <summary>Reads the section from the project's <c>Pulumi.yaml</c>.</summary>
    /// <exception cref="ConfigException">The section is malformed; the message names the key.</exception>
    public static ProjectPluginSettings Load(string projectDirectory)
    {
        var directory = Path.GetFullPath(projectDirectory);
        var path = Path.Combine(directory, ProjectFile.FileName);
        var settings = new ProjectPluginSettings { ProjectDirectory = directory };
        if (Section(path) is not { } section)
        {
            return settings;
        }

        foreach (var key in section.Children.Keys.Select(static k => ((YamlScalarNode)k).Value))
        {
            if (key is not ("registry" or "trustedKeys" or "require" or "grants" or "sandbox"))
            {
                throw new ConfigException(path, $"{SectionKey}.{key}", "unknown key; the plugins section has registry, trustedKeys, require, grants and sandbox.");
            }
        }

        return settings with
        {
            Registry = Scalar(section, "registry", path),
            TrustedKeys = new TrustedKeys(ReadKeys(section, path)),
            Requirements = ReadRequirements(section, path),
            Grants = ReadGrants(section, path),
            Sandbox = Scalar(section, "sandbox", path) is not { } sandbox || sandbox switch
            {
                "true" => true,
                "false" => false,
                _ => throw new ConfigException(path, $"{SectionKey}.sandbox", $"'{sandbox}' is not true or false."),
            },
        };
    }

    private static YamlMappingNode? Section(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, null, "the project file does not exist.");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new ConfigException(path, null, $"malformed YAML at line {ex.Start.Line}: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode(SectionKey), out var node) || node is YamlScalarNode { Value: null or "" or "~" })
        {
            return null;
        }

        return node as YamlMappingNode ?? throw new ConfigException(path, SectionKey, "expected a mapping with registry, trustedKeys, require and grants.");
    }

    private static ImmutableDictionary<string, string> ReadKeys(YamlMappingNode section, string path)
    {
        var keys = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Mapping(section, "trustedKeys", path))
        {
            if (value is not YamlScalarNode { Value: { } key } || !PublicKeyText.TryDecode(key, out _))
            {
                throw new ConfigException(path, $"{SectionKey}.trustedKeys.{name}", "expected a public key 'ed25519:BASE64', as 'infra plugin keygen' writes in its .pub file.");
            }

            keys[name] = key;
        }

        return keys.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, VersionRange> ReadRequirements(YamlMappingNode section, string path)
    {
        var requirements = ImmutableSortedDictionary.CreateBuilder<string, VersionRange>(StringComparer.Ordinal);
        foreach (var (name, value) in Mapping(section, "require", path))
        {
            var key = $"{SectionKey}.require.{name}";
            if (!PluginNames.IsValid(name))
            {
                throw new ConfigException(path, key, "not a plugin name (lower-case letters, digits and '-').");
            }

            if (value is not YamlScalarNode { Value: { } text } || !VersionRange.TryParse(text, out var range))
            {
                throw new ConfigException(path, key, "expected a version range, e.g. \"0.1.0\" (at least), \"[0.1.0, 0.2.0)\" or \"0.*\".");
            }

            requirements[name] = range;
        }

        return requirements.ToImmutable();
    }

    private static ImmutableDictionary<string, PluginGrant> ReadGrants(YamlMappingNode section, string path)
    {
        var grants = ImmutableDictionary.CreateBuilder<string, PluginGrant>(StringComparer.Ordinal);
        foreach (var (name, value) in Mapping(section, "grants", path))
        {
            var key = $"{SectionKey}.grants.{name}";
            if (value is not YamlMappingNode grant)
            {
                throw new ConfigException(path, key, "expected a mapping: { network: true, filesystem: [folder, ...] }.");
            }

            var network = Scalar(grant, PluginCapabilities.Network, path) switch
            {
                null or "false" => false,
                "true" => true,
                var other => throw new ConfigException(path, $"{key}.network", $"'{other}' is not true or false."),
            };
            var paths = ImmutableArray<string>.Empty;
            if (grant.Children.TryGetValue(new YamlScalarNode(PluginCapabilities.Filesystem), out var folders))
            {
                if (folders is not YamlSequenceNode list || list.Children.Any(static c => c is not YamlScalarNode { Value.Length: > 0 }))
                {
                    throw new ConfigException(path, $"{key}.filesystem", "expected a list of project folders, e.g. [zones].");
                }

                paths = [.. list.Children.Select(static c => ((YamlScalarNode)c).Value!)];
                foreach (var folder in paths)
                {
                    if (Path.IsPathRooted(folder) || folder.Split('/', '\\').Any(static p => p is ".." or ".infra"))
                    {
                        throw new ConfigException(path, $"{key}.filesystem", $"'{folder}' must be a folder inside the project, and never .infra.");
                    }
                }
            }

            grants[name] = new PluginGrant(network, paths);
        }

        return grants.ToImmutable();
    }

    private static IEnumerable<(string Name, YamlNode Value)> Mapping(YamlMappingNode section, string key, string path)
    {
        if (!section.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is YamlScalarNode { Value: null or "" or "~" })
        {
            yield break;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw new ConfigException(path, $"{SectionKey}.{key}", "expected a mapping.");
        }

        foreach (var (name, value) in mapping.Children)
        {
            yield return (((YamlScalarNode)name).Value ?? string.Empty, value);
        }
    }

    private static string? Scalar(YamlMappingNode map, string key, string path) =>
        !map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? null
        : node is YamlScalarNode scalar ? scalar.Value
        : throw new ConfigException(path, $"{SectionKey}.{key}", "expected a single value.");
}
