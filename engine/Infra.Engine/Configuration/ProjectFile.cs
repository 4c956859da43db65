using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace Infra.Configuration;

/// <summary>
/// The project file, <c>Pulumi.yaml</c>: the project's name, runtime, description, config schema, where stack
/// settings live (<c>stackConfigDir</c>), the policy packs each stack kind runs (<c>policyPacks</c>) and, optionally,
/// the state backend (<c>backend.url</c>).
/// </summary>
public sealed record ProjectFile
{
    /// <summary>The file name looked for in the project folder.</summary>
    public const string FileName = "Pulumi.yaml";

    /// <summary>The project folder (the folder holding <see cref="FileName"/>).</summary>
    public required string Directory { get; init; }

    /// <summary>The project name; part of every URN.</summary>
    public required string Name { get; init; }

    /// <summary>The program runtime; this engine runs <c>dotnet</c> programs.</summary>
    public string Runtime { get; init; } = "dotnet";

    /// <summary>
    /// Pulumi's <c>main</c>: the folder, relative to the project, of the .NET project that hosts the stack programs,
    /// when the project names one. Hosts with built-in programs run those; a rollback to an older program builds this.
    /// </summary>
    public string? Main { get; init; }

    /// <summary>A description for people.</summary>
    public string? Description { get; init; }

    /// <summary>The folder, relative to the project, holding <c>Pulumi.&lt;stack&gt;.yaml</c> files.</summary>
    public string StackConfigDir { get; init; } = ".";

    /// <summary>The state backend URL from <c>backend.url</c>, if set.</summary>
    public string? BackendUrl { get; init; }

    /// <summary>The declared config keys, by full key (<c>namespace:name</c>).</summary>
    public ImmutableDictionary<string, ConfigKeySchema> ConfigSchema { get; init; } =
        ImmutableDictionary<string, ConfigKeySchema>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The policy packs every stack of a kind runs (<c>policyPacks</c>: kind to a list of pack names), whatever a
    /// command asks for besides. The host decides what a stack's kind is.
    /// </summary>
    public ImmutableDictionary<string, ImmutableArray<string>> DefaultPolicyPacks { get; init; } =
        ImmutableDictionary<string, ImmutableArray<string>>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The path of the project file.</summary>
    public string FilePath => Path.Combine(Directory, FileName);

    /// <summary>The settings file path for <paramref name="stack"/>.</summary>
    public string StackSettingsPath(string stack) =>
        Path.Combine(Directory, StackConfigDir, $"Pulumi.{stack}.yaml");

    /// <summary>The message for a key the schema does not declare, suggesting the closest declared key.</summary>
    public string UnknownKeyMessage(string key)
    {
        var hint = ConfigSchema.Keys.OrderBy(k => Distance(k, key)).FirstOrDefault(k => Distance(k, key) <= 3);
        return hint is null ? $"unknown key; declare it under 'config' in {FileName}." : $"unknown key; did you mean '{hint}'?";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>Finds the project file in <paramref name="startDirectory"/> or the nearest folder above it.</summary>
    /// <exception cref="ProjectNotFoundException">No project file was found.</exception>
    public static ProjectFile Find(string startDirectory)
    {
        var directory = new DirectoryInfo(Path.GetFullPath(startDirectory));
        for (var current = directory; current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, FileName)))
            {
                return Load(current.FullName);
            }
        }

        throw new ProjectNotFoundException(directory.FullName);
    }

    /// <summary>Loads and validates <c>Pulumi.yaml</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="ConfigException">The file is missing, malformed or invalid.</exception>
    public static ProjectFile Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new ConfigException(path, null, "the project file does not exist.");
        }

        var root = YamlFiles.LoadMapping(path);
        var name = YamlFiles.ScalarOrNull(root, "name", path)
            ?? throw new ConfigException(path, null, "the required key 'name' is missing.");
        if (!ProjectNames.IsValid(name))
        {
            throw new ConfigException(path, "name", $"{ErrorText.Quote(name)} is not a valid project name: use letters, digits, '-', '_' and '.'.");
        }

        var runtime = YamlFiles.ScalarOrNull(root, "runtime", path) ?? "dotnet";
        if (runtime is not "dotnet")
        {
            throw new ConfigException(path, "runtime", $"runtime {ErrorText.Quote(runtime)} is not supported; this engine runs 'dotnet' programs.");
        }

        string? backendUrl = null;
        if (root.Children.TryGetValue(new YamlScalarNode("backend"), out var backend))
        {
            backendUrl = backend is YamlMappingNode map
                ? YamlFiles.ScalarOrNull(map, "url", path)
                : throw new ConfigException(path, "backend", "expected a mapping with a 'url' key.");
        }

        return new ProjectFile
        {
            Directory = Path.GetFullPath(directory),
            Name = name,
            Runtime = runtime,
            Main = YamlFiles.ScalarOrNull(root, "main", path),
            Description = YamlFiles.ScalarOrNull(root, "description", path),
            StackConfigDir = YamlFiles.ScalarOrNull(root, "stackConfigDir", path) ?? ".",
            BackendUrl = backendUrl,
            ConfigSchema = ReadSchema(root, path, name),
            DefaultPolicyPacks = ReadPolicyPacks(root, path),
        };
    }

    private static ImmutableDictionary<string, ImmutableArray<string>> ReadPolicyPacks(YamlMappingNode root, string path)
    {
        var packs = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        if (!root.Children.TryGetValue(new YamlScalarNode("policyPacks"), out var node) || node is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return packs.ToImmutable();
        }

        if (node is not YamlMappingNode byKind)
        {
            throw new ConfigException(path, "policyPacks", "expected a mapping of stack kinds to lists of policy packs, e.g. 'tenant: [compliance]'.");
        }

        foreach (var (kindNode, listNode) in byKind.Children)
        {
            var kind = ((YamlScalarNode)kindNode).Value ?? string.Empty;
            packs[kind] = listNode is YamlSequenceNode list && list.Children.All(static c => c is YamlScalarNode { Value.Length: > 0 })
                ? ImmutableArray.CreateRange(list.Children.Cast<YamlScalarNode>().Select(static c => c.Value!))
                : throw new ConfigException(path, $"policyPacks.{kind}", "expected a list of policy pack names, e.g. [compliance].");
        }

        return packs.ToImmutable();
    }

    private static ImmutableDictionary<string, ConfigKeySchema> ReadSchema(YamlMappingNode root, string path, string projectName)
    {
        var schema = ImmutableDictionary.CreateBuilder<string, ConfigKeySchema>(StringComparer.OrdinalIgnoreCase);
        if (!root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) ||
            configNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return schema.ToImmutable();
        }

        if (configNode is not YamlMappingNode config)
        {
            throw new ConfigException(path, "config", "expected a mapping of config keys to their schema.");
        }

        foreach (var (keyNode, valueNode) in config.Children)
        {
            var rawKey = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            var key = rawKey.Contains(':', StringComparison.Ordinal) ? rawKey : $"{projectName}:{rawKey}";
            schema[key] = ConfigKeySchema.Parse(key, valueNode, path);
        }

        return schema.ToImmutable();
    }
}

/// <summary>Validation of project and stack names.</summary>
public static class ProjectNames
{
    /// <summary>True for names of letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, 1 to 100 characters.</summary>
    public static bool IsValid(string name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 100 &&
        name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

/// <summary>Helpers for reading YAML files with errors that name the file and position.</summary>
internal static class YamlFiles
{
    public static YamlMappingNode LoadMapping(string path) => Mapping(SafeYaml.LoadFile(path), path);

    public static YamlMappingNode ParseMapping(string text, string source) => Mapping(SafeYaml.Parse(text, source), source);

    private static YamlMappingNode Mapping(YamlStream stream, string path)
    {
        if (stream.Documents.Count == 0)
        {
            return new YamlMappingNode();
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new ConfigException(path, null, "expected a YAML mapping at the top level.");
    }

    public static string? ScalarOrNull(YamlMappingNode map, string key, string path)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar
            ? scalar.Value
            : throw new ConfigException(path, key, "expected a single value, not a list or mapping.");
    }
}
