using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Plugins.Manifest;
using NuGet.Versioning;

namespace Infra.Plugins.Registry;

/// <summary>
/// The registry's root, <c>index.json</c>: one line per plugin, enough to search. Each plugin's versions are in its
/// own file, <c>plugins/NAME.json</c> (<see cref="PluginEntry"/>), so a client fetches only what it needs and a static
/// web server or object store can serve the whole registry.
/// </summary>
/// <param name="Schema">Always <see cref="SchemaVersion"/>.</param>
/// <param name="Plugins">Every plugin, by name.</param>
public sealed record RegistryIndex(string Schema, ImmutableArray<RegistrySummary> Plugins)
{
    /// <summary>The format of the registry's files.</summary>
    public const string SchemaVersion = "infra-registry/1";

    /// <summary>The root file's name.</summary>
    public const string FileName = "index.json";

    /// <summary>An empty registry.</summary>
    public static RegistryIndex Empty { get; } = new(SchemaVersion, []);

    /// <summary>The path of a plugin's file, relative to the registry's root.</summary>
    public static string EntryPath(string name) => $"plugins/{name}.json";
}

/// <summary>A plugin in <see cref="RegistryIndex"/>.</summary>
/// <param name="Name">The plugin's name.</param>
/// <param name="Kind">provider, policy or ui.</param>
/// <param name="Description">Its latest version's description.</param>
/// <param name="Latest">Its highest version.</param>
public sealed record RegistrySummary(string Name, string Kind, string? Description, string Latest);

/// <summary>A plugin's file, <c>plugins/NAME.json</c>: every published version.</summary>
/// <param name="Schema">Always <see cref="RegistryIndex.SchemaVersion"/>.</param>
/// <param name="Name">The plugin's name.</param>
/// <param name="Versions">Every version, lowest first.</param>
public sealed record PluginEntry(string Schema, string Name, ImmutableArray<PluginRelease> Versions)
{
    /// <summary>The release of exactly <paramref name="version"/>, or <see langword="null"/>.</summary>
    public PluginRelease? Find(NuGetVersion version) => Versions.FirstOrDefault(r => r.SemanticVersion == version);
}

/// <summary>
/// One published version: what its manifest says (so a resolver need not download it), where its package is, and
/// how to check it: the package's sha256 and size, and an Ed25519 signature over <see cref="SignedStatement"/>.
/// </summary>
public sealed record PluginRelease
{
    /// <summary>The version.</summary>
    public required string Version { get; init; }

    /// <summary>provider, policy or ui.</summary>
    public required string Kind { get; init; }

    /// <summary>The protocol the version speaks.</summary>
    public required string Protocol { get; init; }

    /// <summary>The runtime it needs.</summary>
    public string? Runtime { get; init; }

    /// <summary>The manifest's description.</summary>
    public string? Description { get; init; }

    /// <summary>The capabilities it asks for.</summary>
    public ImmutableArray<string> Capabilities { get; init; } = [];

    /// <summary>Other plugins it needs, name to range.</summary>
    public ImmutableDictionary<string, string> Dependencies { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The SDK it was built with.</summary>
    public string? Sdk { get; init; }

    /// <summary>The package (<c>.tgz</c>), relative to the registry's root.</summary>
    public required string Artifact { get; init; }

    /// <summary>The package's SHA-256, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The package's size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>For a UI plugin: its ES module, relative to the registry's root, served as it is to the portal.</summary>
    public string? Module { get; init; }

    /// <summary>For a UI plugin: the module's Subresource Integrity hash, <c>sha384-BASE64</c>.</summary>
    public string? Integrity { get; init; }

    /// <summary>The publisher's signature.</summary>
    public required ReleaseSignature Signature { get; init; }

    /// <summary>When it was published (UTC).</summary>
    public DateTimeOffset Published { get; init; }

    /// <summary>The parsed version.</summary>
    [JsonIgnore]
    public NuGetVersion SemanticVersion => NuGetVersion.Parse(Version);

    /// <summary>The parsed dependencies.</summary>
    [JsonIgnore]
    public ImmutableDictionary<string, VersionRange> DependencyRanges =>
        Dependencies.ToImmutableDictionary(static d => d.Key, static d => VersionRange.Parse(d.Value), StringComparer.Ordinal);

    /// <summary>
    /// The bytes the publisher signs: the plugin's name, version and kind, and the hashes of its package and (for a
    /// UI plugin) its module. A signature therefore vouches for exactly this content under exactly this name and
    /// version; an index that moves a signed package to another name or version fails verification.
    /// </summary>
    public byte[] SignedStatement(string name) =>
        Encoding.UTF8.GetBytes($"infra-plugin-signature/1\nname {name}\nversion {Version}\nkind {Kind}\nsha256 {Sha256}\nintegrity {Integrity ?? "-"}\n");

    /// <summary>Whether the release says the same as <paramref name="manifest"/>, the manifest inside its package.</summary>
    public string? Mismatch(PluginManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest switch
        {
            _ when manifest.Version != Version => $"its package says version {manifest.Version}",
            _ when manifest.Kind != Kind => $"its package says kind {manifest.Kind}",
            _ when manifest.Protocol != Protocol => $"its package says protocol {manifest.Protocol}",
            _ when !manifest.Dependencies.OrderBy(static d => d.Key, StringComparer.Ordinal).SequenceEqual(Dependencies.OrderBy(static d => d.Key, StringComparer.Ordinal)) =>
                "its package declares other dependencies than the index",
            _ when !manifest.Capabilities.SequenceEqual(Capabilities) => "its package asks for other capabilities than the index",
            _ => null,
        };
    }
}

/// <summary>A release's signature.</summary>
/// <param name="Algorithm">Always <c>ed25519</c>.</param>
/// <param name="Key">The publisher's public key, <c>ed25519:BASE64</c>.</param>
/// <param name="Value">The signature of <see cref="PluginRelease.SignedStatement"/>, base64.</param>
public sealed record ReleaseSignature(string Algorithm, string Key, string Value);

/// <summary>How the registry's files are read and written: camelCase, indented, stable.</summary>
internal static class RegistryJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
    };

    public static T Read<T>(byte[] json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InfraException($"{where}: is empty.");
        }
        catch (JsonException ex)
        {
            throw new InfraException($"{where}: not a registry file of {RegistryIndex.SchemaVersion}: {ex.Message.Split(". Path:")[0]}.", ex);
        }
    }

    public static byte[] Write<T>(T value) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, Options) + "\n");
}
