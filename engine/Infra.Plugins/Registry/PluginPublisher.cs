using Infra.Plugins.Manifest;
using NuGet.Versioning;

namespace Infra.Plugins.Registry;

/// <summary>What <see cref="PluginPublisher.PublishAsync"/> did.</summary>
/// <param name="Release">The release as the index records it.</param>
/// <param name="Unchanged">True when the same version with the same content was already published: nothing was written.</param>
public sealed record PublishResult(PluginRelease Release, bool Unchanged);

/// <summary>
/// Publishes a plugin folder into a registry folder (which a web server or object store then serves): packs it
/// (<see cref="PluginPackage"/>), signs it, writes the package and updates <c>plugins/NAME.json</c> and
/// <c>index.json</c>. A published version is immutable: publishing it again with other content is refused.
/// </summary>
public static class PluginPublisher
{
    /// <summary>Publishes the plugin in <paramref name="pluginDirectory"/> to the registry folder <paramref name="registryDirectory"/>.</summary>
    /// <exception cref="ConfigException">The manifest is invalid or a packaged file is missing.</exception>
    /// <exception cref="PluginException">The version is already published with other content.</exception>
    public static async Task<PublishResult> PublishAsync(string pluginDirectory, string registryDirectory, PublisherKey key, TimeProvider? clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var manifest = PluginManifest.Load(pluginDirectory);
        var package = PluginPackage.Pack(manifest);
        var artifact = $"artifacts/{manifest.Name}/{manifest.Name}-{manifest.Version}.tgz";
        string? module = null, integrity = null;
        if (manifest.Kind == PluginManifest.UiKind)
        {
            var code = PluginPackage.ReadFile(package, manifest.Entry!)
                ?? throw new ConfigException(Path.Combine(manifest.Directory, PluginManifest.FileName), "entry", $"'{manifest.Entry}' is not in the package; build the plugin first.");
            module = $"artifacts/{manifest.Name}/{manifest.Name}-{manifest.Version}.js";
            integrity = PluginPackage.Integrity(code);
        }

        var release = new PluginRelease
        {
            Version = manifest.SemanticVersion.ToNormalizedString(),
            Kind = manifest.Kind,
            Protocol = manifest.Protocol,
            Runtime = manifest.Runtime,
            Description = manifest.Description,
            Capabilities = manifest.Capabilities,
            Dependencies = manifest.Dependencies,
            Sdk = manifest.Sdk,
            Artifact = artifact,
            Sha256 = PluginPackage.Sha256(package),
            Size = package.LongLength,
            Module = module,
            Integrity = integrity,
            Signature = new ReleaseSignature("ed25519", key.PublicKey, string.Empty),
            Published = (clock ?? TimeProvider.System).GetUtcNow(),
        };
        release = release with { Signature = release.Signature with { Value = key.Sign(release.SignedStatement(manifest.Name)) } };

        var registry = new FolderRegistrySource(Path.GetFullPath(registryDirectory));
        Directory.CreateDirectory(registry.Location);
        var client = new RegistryClient(registry);
        var entry = await client.GetPluginAsync(manifest.Name, cancellationToken).ConfigureAwait(false)
            ?? new PluginEntry(RegistryIndex.SchemaVersion, manifest.Name, []);
        if (entry.Find(manifest.SemanticVersion) is { } existing)
        {
            if (existing.Sha256 == release.Sha256 && existing.Integrity == release.Integrity)
            {
                return new PublishResult(existing, Unchanged: true);
            }

            throw new PluginException(manifest.Name,
                $"version {release.Version} is already published with other content (sha256 {existing.Sha256}); a published version never changes, so raise the version in {PluginManifest.FileName}.");
        }

        await WriteAsync(registry.Location, artifact, package, cancellationToken).ConfigureAwait(false);
        if (module is not null)
        {
            await WriteAsync(registry.Location, module, PluginPackage.ReadFile(package, manifest.Entry!)!, cancellationToken).ConfigureAwait(false);
        }

        entry = entry with { Versions = [.. entry.Versions.Add(release).OrderBy(static r => r.SemanticVersion, VersionComparer.Default)] };
        await WriteAsync(registry.Location, RegistryIndex.EntryPath(manifest.Name), RegistryJson.Write(entry), cancellationToken).ConfigureAwait(false);

        var index = await client.GetIndexAsync(cancellationToken).ConfigureAwait(false);
        var latest = entry.Newest().First();
        var summary = new RegistrySummary(manifest.Name, latest.Kind, latest.Description, latest.Version);
        index = index with
        {
            Plugins = [.. index.Plugins.Where(p => p.Name != manifest.Name).Append(summary).OrderBy(static p => p.Name, StringComparer.Ordinal)],
        };
        await WriteAsync(registry.Location, RegistryIndex.FileName, RegistryJson.Write(index), cancellationToken).ConfigureAwait(false);
        return new PublishResult(release, Unchanged: false);
    }

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a file.</summary>
    private static async Task WriteAsync(string root, string path, byte[] content, CancellationToken cancellationToken)
    {
        var target = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".tmp-" + Environment.ProcessId;
        await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, target, overwrite: true);
    }
}
