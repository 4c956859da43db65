using System.Collections.Immutable;
using Infra.Plugins.Manifest;
using Infra.Plugins.Registry;
using NuGet.Versioning;

namespace Infra.Plugins.Projects;

/// <summary>What an install did to one plugin.</summary>
/// <param name="Name">The plugin.</param>
/// <param name="Version">The version now installed.</param>
/// <param name="Action"><c>installed</c>, <c>kept</c> (already there and intact) or <c>removed</c>.</param>
public sealed record InstallChange(string Name, string Version, string Action);

/// <summary>
/// Installs the plugins a project needs: resolves <c>plugins.require</c> against the registry (keeping locked
/// versions while they fit), downloads and verifies each package (hash, signature, trusted key, manifest against
/// the index), unpacks it under <c>.infra/plugins/NAME/VERSION</c>, and writes <c>plugins.lock</c>. Nothing is
/// written until every plugin has been verified, so a refused plugin leaves the project as it was.
/// </summary>
public static class PluginInstaller
{
    /// <summary>The folder, under the project, holding installed plugins.</summary>
    public const string PluginsFolder = ".infra/plugins";

    /// <summary>The folder of an installed plugin version.</summary>
    public static string DirectoryOf(string projectDirectory, string name, string version) =>
        Path.Combine(projectDirectory, PluginsFolder, name, version);

    /// <summary>Installs what <paramref name="settings"/> requires.</summary>
    /// <param name="settings">The project's plugin settings.</param>
    /// <param name="update">Ignore the lock and take the newest versions that fit.</param>
    /// <param name="registry">The registry; <see langword="null"/> opens <c>plugins.registry</c>.</param>
    /// <param name="cancellationToken">Stops the downloads.</param>
    /// <exception cref="PluginConflictException">No versions fit.</exception>
    /// <exception cref="PluginException">A package fails verification.</exception>
    public static async Task<ImmutableArray<InstallChange>> InstallAsync(
        ProjectPluginSettings settings, bool update, IRegistrySource? registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lockFile = PluginLock.TryLoad(settings.ProjectDirectory) ?? PluginLock.Empty;
        if (settings.Requirements.IsEmpty && lockFile.Plugins.IsEmpty)
        {
            return [];
        }

        var client = new RegistryClient(registry ?? OpenRegistry(settings));
        var preferred = update ? [] : lockFile.Plugins.ToDictionary(static p => p.Key, static p => p.Value.SemanticVersion, StringComparer.Ordinal);
        var resolved = await new PluginResolver(client.GetPluginAsync)
            .ResolveAsync(settings.Requirements, preferred, cancellationToken).ConfigureAwait(false);

        // Verify everything first, then write: a refused plugin must leave the project as it was.
        var staged = new List<(ResolvedPlugin Plugin, string? Staging, string Tree)>();
        try
        {
            foreach (var plugin in resolved)
            {
                staged.Add(await StageAsync(settings, client, lockFile, plugin, cancellationToken).ConfigureAwait(false));
            }

            var changes = ImmutableArray.CreateBuilder<InstallChange>();
            var locked = ImmutableSortedDictionary.CreateBuilder<string, LockedPlugin>(StringComparer.Ordinal);
            foreach (var (plugin, staging, tree) in staged)
            {
                var target = DirectoryOf(settings.ProjectDirectory, plugin.Name, plugin.Release.Version);
                if (staging is not null)
                {
                    if (Directory.Exists(target))
                    {
                        Directory.Delete(target, recursive: true);
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    Directory.Move(staging, target);
                }

                changes.Add(new InstallChange(plugin.Name, plugin.Release.Version, staging is null ? "kept" : "installed"));
                locked[plugin.Name] = new LockedPlugin
                {
                    Version = plugin.Release.Version,
                    Kind = plugin.Release.Kind,
                    Sha256 = plugin.Release.Sha256,
                    Tree = tree,
                    Source = $"{client.Source.Location.TrimEnd('/')}/{plugin.Release.Artifact}",
                    Key = plugin.Release.Signature.Key,
                    RequiredBy = plugin.RequiredBy,
                };
            }

            changes.AddRange(RemoveUnlocked(settings.ProjectDirectory, locked));
            (lockFile with { Plugins = locked.ToImmutable() }).Save(settings.ProjectDirectory);
            return changes.ToImmutable();
        }
        finally
        {
            foreach (var (_, staging, _) in staged)
            {
                if (staging is not null && Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }
    }

    /// <summary>The registry <c>plugins.registry</c> names.</summary>
    /// <exception cref="ConfigException">The project names none.</exception>
    public static IRegistrySource OpenRegistry(ProjectPluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return RegistrySource.Open(
            settings.Registry ?? throw new ConfigException(settings.FilePath, $"{ProjectPluginSettings.SectionKey}.registry",
                "no registry is set; set plugins.registry to a folder or an http(s) URL, or pass --registry."),
            settings.ProjectDirectory);
    }

    private static async Task<(ResolvedPlugin, string?, string)> StageAsync(
        ProjectPluginSettings settings, RegistryClient client, PluginLock lockFile, ResolvedPlugin plugin, CancellationToken cancellationToken)
    {
        var release = plugin.Release;
        if (lockFile.Plugins.TryGetValue(plugin.Name, out var locked) && locked.Version == release.Version && locked.Sha256 != release.Sha256)
        {
            throw new PluginException(plugin.Name,
                $"version {release.Version}: the registry now serves sha256 {release.Sha256}, but {PluginLock.FileName} recorded {locked.Sha256}; a published version never changes, so refusing it, nothing installed.");
        }

        // Trust is checked even for a plugin already installed: a key the project stopped trusting stops its plugins.
        ReleaseVerifier.Verify(plugin.Name, release, settings.TrustedKeys);
        var target = DirectoryOf(settings.ProjectDirectory, plugin.Name, release.Version);
        if (locked is not null && locked.Version == release.Version && Directory.Exists(target) && PluginPackage.TreeDigest(target) == locked.Tree)
        {
            return (plugin, null, locked.Tree);
        }

        var package = await client.DownloadAsync(plugin.Name, release, settings.TrustedKeys, cancellationToken).ConfigureAwait(false);
        var staging = Path.Combine(settings.ProjectDirectory, PluginsFolder, $".staging-{plugin.Name}-{Guid.NewGuid():N}");
        try
        {
            PluginPackage.Unpack(package, staging);
            PluginManifest manifest;
            try
            {
                manifest = PluginManifest.Load(staging);
            }
            catch (ConfigException ex)
            {
                throw new PluginException(plugin.Name, $"version {release.Version}: its package's {PluginManifest.FileName} is invalid: {ex.Message}", ex);
            }

            var mismatch = manifest.Name != plugin.Name ? $"its package says name {manifest.Name}" : release.Mismatch(manifest);
            if (mismatch is not null)
            {
                throw new PluginException(plugin.Name, $"version {release.Version}: the registry's index and the package disagree ({mismatch}); nothing installed.");
            }

            return (plugin, staging, PluginPackage.TreeDigest(staging));
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>Removes installed versions the lock no longer names.</summary>
    private static IEnumerable<InstallChange> RemoveUnlocked(string projectDirectory, ImmutableSortedDictionary<string, LockedPlugin>.Builder locked)
    {
        var root = Path.Combine(projectDirectory, PluginsFolder);
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var nameFolder in Directory.EnumerateDirectories(root).Where(static d => !Path.GetFileName(d).StartsWith('.')).ToList())
        {
            var name = Path.GetFileName(nameFolder);
            foreach (var versionFolder in Directory.EnumerateDirectories(nameFolder).ToList())
            {
                var version = Path.GetFileName(versionFolder);
                if (!locked.TryGetValue(name, out var keep) || keep.Version != version)
                {
                    Directory.Delete(versionFolder, recursive: true);
                    yield return new InstallChange(name, version, "removed");
                }
            }

            if (!Directory.EnumerateFileSystemEntries(nameFolder).Any())
            {
                Directory.Delete(nameFolder);
            }
        }
    }

    /// <summary>The locked plugins that depend on <paramref name="name"/>, as <c>other@version</c>.</summary>
    public static ImmutableArray<string> Dependents(PluginLock lockFile, string name)
    {
        ArgumentNullException.ThrowIfNull(lockFile);
        return lockFile.Plugins.TryGetValue(name, out var locked)
            ? [.. locked.RequiredBy.Where(static by => by != PluginResolver.Project)]
            : [];
    }

    /// <summary>Parses a version range given on the command line.</summary>
    /// <exception cref="InfraException">Not a range.</exception>
    public static VersionRange ParseRange(string text) =>
        VersionRange.TryParse(text, out var range) ? range
        : throw new InfraException($"'{text}' is not a version range; use e.g. 0.1.0 (at least), [0.1.0, 0.2.0) or 0.*.");
}
