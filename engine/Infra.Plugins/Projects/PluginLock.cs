using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NuGet.Versioning;

namespace Infra.Plugins.Projects;

/// <summary>One locked plugin: exactly what was installed and where it came from.</summary>
public sealed record LockedPlugin
{
    /// <summary>The exact version.</summary>
    public required string Version { get; init; }

    /// <summary>provider, policy or ui.</summary>
    public required string Kind { get; init; }

    /// <summary>The package's sha256, as signed.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The digest of the unpacked files (<see cref="Registry.PluginPackage.TreeDigest"/>), checked before every operation.</summary>
    public required string Tree { get; init; }

    /// <summary>Where the package was downloaded from.</summary>
    public required string Source { get; init; }

    /// <summary>The key that signed it, <c>ed25519:BASE64</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Who wants it: <c>Pulumi.yaml</c> and/or other plugins.</summary>
    public ImmutableArray<string> RequiredBy { get; init; } = [];

    /// <summary>The parsed version.</summary>
    [JsonIgnore]
    public NuGetVersion SemanticVersion => NuGetVersion.Parse(Version);
}

/// <summary>
/// <c>plugins.lock</c> beside <c>Pulumi.yaml</c>: the exact version, hashes and source of every plugin the project
/// uses, written by <c>infra plugin install</c> and checked by <c>preview</c> and <c>up</c>. Commit it, so every
/// machine runs the same plugins.
/// </summary>
/// <param name="LockVersion">The file's format, <see cref="CurrentVersion"/>.</param>
/// <param name="Plugins">Locked plugins by name.</param>
public sealed record PluginLock(int LockVersion, ImmutableSortedDictionary<string, LockedPlugin> Plugins)
{
    /// <summary>The file's name.</summary>
    public const string FileName = "plugins.lock";

    /// <summary>The format this engine writes.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>An empty lock.</summary>
    public static PluginLock Empty { get; } = new(CurrentVersion, ImmutableSortedDictionary<string, LockedPlugin>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The lock's path in <paramref name="projectDirectory"/>.</summary>
    public static string PathIn(string projectDirectory) => Path.Combine(projectDirectory, FileName);

    /// <summary>Reads the project's lock, or <see langword="null"/> when it has none.</summary>
    /// <exception cref="ConfigException">The file is malformed.</exception>
    public static PluginLock? TryLoad(string projectDirectory)
    {
        var path = PathIn(projectDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var lockFile = JsonSerializer.Deserialize<PluginLock>(File.ReadAllText(path), s_options) ?? throw new ConfigException(path, null, "is empty.");
            return lockFile.LockVersion == CurrentVersion
                ? lockFile with { Plugins = lockFile.Plugins.WithComparers(StringComparer.Ordinal) }
                : throw new ConfigException(path, "lockVersion", $"format {lockFile.LockVersion} is not {CurrentVersion}; run 'infra plugin install' to rewrite it.");
        }
        catch (JsonException ex)
        {
            throw new ConfigException(path, ex.Path?.TrimStart('$', '.'), $"malformed: {ex.Message.Split(". Path:")[0]}; run 'infra plugin install' to rewrite it.", ex);
        }
    }

    /// <summary>Writes the lock into <paramref name="projectDirectory"/>.</summary>
    public void Save(string projectDirectory)
    {
        var path = PathIn(projectDirectory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, s_options) + "\n", Encoding.UTF8);
        File.Move(temporary, path, overwrite: true);
    }
}
