using System.Collections.Immutable;
using NuGet.Versioning;

namespace Infra.Plugins.Registry;

/// <summary>Reads a registry: search, a plugin's versions, and verified downloads.</summary>
/// <param name="source">Where the registry's files are.</param>
public sealed class RegistryClient(IRegistrySource source)
{
    /// <summary>Where the registry is.</summary>
    public IRegistrySource Source { get; } = source;

    /// <summary>The registry's root; empty when it has none yet.</summary>
    public async Task<RegistryIndex> GetIndexAsync(CancellationToken cancellationToken)
    {
        var bytes = await Source.ReadAsync(RegistryIndex.FileName, cancellationToken).ConfigureAwait(false);
        return bytes is null ? RegistryIndex.Empty : RegistryJson.Read<RegistryIndex>(bytes, $"registry {Source.Location}: {RegistryIndex.FileName}");
    }

    /// <summary>Plugins whose name or description contains <paramref name="term"/> (all when empty), by name.</summary>
    public async Task<ImmutableArray<RegistrySummary>> SearchAsync(string? term, CancellationToken cancellationToken)
    {
        var index = await GetIndexAsync(cancellationToken).ConfigureAwait(false);
        return [.. index.Plugins
            .Where(p => string.IsNullOrWhiteSpace(term) || p.Name.Contains(term, StringComparison.OrdinalIgnoreCase) ||
                        (p.Description?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(static p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>Every version of <paramref name="name"/>, or <see langword="null"/> when the registry has no such plugin.</summary>
    public async Task<PluginEntry?> GetPluginAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var bytes = await Source.ReadAsync(RegistryIndex.EntryPath(name), cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        var entry = RegistryJson.Read<PluginEntry>(bytes, $"registry {Source.Location}: {RegistryIndex.EntryPath(name)}");
        return entry.Name == name ? entry : throw new InfraException($"registry {Source.Location}: {RegistryIndex.EntryPath(name)} describes '{entry.Name}', not '{name}'.");
    }

    /// <summary>
    /// Downloads a release's package and checks it before anything is written: its size and sha256 against the index,
    /// and its signature against the keys <paramref name="trust"/> holds.
    /// </summary>
    /// <exception cref="PluginException">The package is missing, its hash differs, its signature does not verify, or its key is not trusted; one line naming the plugin and what failed.</exception>
    public async Task<byte[]> DownloadAsync(string name, PluginRelease release, TrustedKeys trust, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(trust);
        var what = $"version {release.Version}";
        var bytes = await Source.ReadAsync(release.Artifact, cancellationToken).ConfigureAwait(false)
            ?? throw new PluginException(name, $"{what}: the registry lists {release.Artifact} but does not serve it.");
        var sha256 = PluginPackage.Sha256(bytes);
        if (bytes.LongLength != release.Size || sha256 != release.Sha256)
        {
            throw new PluginException(name,
                $"{what}: bad hash: the package's sha256 is {sha256} ({bytes.LongLength} bytes), the registry's index says {release.Sha256} ({release.Size} bytes); refusing a corrupt or tampered package, nothing installed.");
        }

        ReleaseVerifier.Verify(name, release, trust);
        return bytes;
    }
}

/// <summary>Checks a release's signature against a project's trusted keys.</summary>
public static class ReleaseVerifier
{
    /// <summary>Throws unless <paramref name="release"/> is signed with a key <paramref name="trust"/> holds and the signature verifies.</summary>
    /// <exception cref="PluginException">Unsigned, signed by an unknown key, or a signature that does not verify.</exception>
    public static void Verify(string name, PluginRelease release, TrustedKeys trust)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(trust);
        var what = $"version {release.Version}";
        var signature = release.Signature;
        if (signature is null || signature.Algorithm != "ed25519" || string.IsNullOrEmpty(signature.Value))
        {
            throw new PluginException(name, $"{what}: not signed with ed25519; a project installs signed plugins only, nothing installed.");
        }

        var keyId = PublicKeyText.Id(signature.Key);
        if (trust.NameOf(signature.Key) is not { } publisher)
        {
            throw new PluginException(name,
                $"{what}: unknown key: signed by key {keyId} ({signature.Key}), which this project does not trust; add it under plugins.trustedKeys in Pulumi.yaml if you trust its publisher, nothing installed.");
        }

        if (!PublisherKey.Verify(signature.Key, release.SignedStatement(name), signature.Value))
        {
            throw new PluginException(name,
                $"{what}: bad signature: the signature does not verify with the key of '{publisher}' ({keyId}); the index or package was altered after signing, nothing installed.");
        }
    }
}

/// <summary>The publisher keys a project trusts, by the name the project gives each publisher.</summary>
/// <param name="Keys">Publisher name to public key, <c>ed25519:BASE64</c>.</param>
public sealed record TrustedKeys(ImmutableDictionary<string, string> Keys)
{
    /// <summary>No key: nothing can be installed.</summary>
    public static TrustedKeys None { get; } = new(ImmutableDictionary<string, string>.Empty);

    /// <summary>The publisher's name for <paramref name="key"/>, or <see langword="null"/> when it is not trusted.</summary>
    public string? NameOf(string key) =>
        PublicKeyText.TryDecode(key, out var raw)
            ? Keys.FirstOrDefault(k => PublicKeyText.TryDecode(k.Value, out var trusted) && trusted.AsSpan().SequenceEqual(raw)).Key
            : null;
}

/// <summary>The highest release of an entry within a range, for messages and resolution.</summary>
public static class PluginEntryExtensions
{
    /// <summary>The versions of <paramref name="entry"/>, highest first.</summary>
    public static IEnumerable<PluginRelease> Newest(this PluginEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Versions.OrderByDescending(static r => r.SemanticVersion, VersionComparer.Default);
    }
}
