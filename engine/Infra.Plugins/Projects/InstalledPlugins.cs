using System.Collections.Immutable;
using Infra.Plugins.Manifest;
using Infra.Plugins.Registry;
using Infra.Plugins.Runtime;
using Infra.Plugins.Sandbox;

namespace Infra.Plugins.Projects;

/// <summary>A plugin installed in a project and checked against the lock.</summary>
/// <param name="Manifest">Its manifest, read from its installed folder.</param>
/// <param name="Grant">What the project grants it.</param>
/// <param name="Settings">The project's plugin settings.</param>
public sealed record InstalledPlugin(PluginManifest Manifest, PluginGrant Grant, ProjectPluginSettings Settings)
{
    /// <summary>The plugin's name.</summary>
    public string Name => Manifest.Name;

    /// <summary>
    /// The sandbox of this plugin: network only when its manifest asks for it and the project grants it, the granted
    /// project folders only when it asks for <c>filesystem</c>. With <c>plugins.sandbox: false</c>, none.
    /// </summary>
    public IPluginLauncher Launcher(SandboxLimits? limits = null)
    {
        if (!Settings.Sandbox)
        {
            return DirectPluginLauncher.Instance;
        }

        var asks = Manifest.Capabilities.IsDefault ? [] : Manifest.Capabilities;
        return new BubblewrapLauncher(new SandboxPolicy
        {
            Network = asks.Contains(PluginCapabilities.Network) && Grant.Network,
            WritablePaths = asks.Contains(PluginCapabilities.Filesystem)
                ? [.. Grant.Paths.Select(p => Path.GetFullPath(p, Settings.ProjectDirectory))]
                : [],
            Limits = limits ?? new SandboxLimits(),
        });
    }

    /// <summary>How to run the plugin: its installed command under its sandbox.</summary>
    public PluginOptions ToOptions(SandboxLimits? limits = null) => Manifest.ToOptions() with { Launcher = Launcher(limits) };
}

/// <summary>
/// The plugins a project's operations may use: exactly those in <c>plugins.lock</c>, installed and unchanged, and
/// satisfying <c>Pulumi.yaml</c>. <c>preview</c> and <c>up</c> load them first and refuse to run, in one line, when
/// one is missing or does not match; a project without plugins loads nothing and needs no install step.
/// </summary>
public static class InstalledPlugins
{
    /// <summary>Checks and loads the project's plugins.</summary>
    /// <exception cref="PluginException">A plugin is required but not locked, locked at a version the range excludes, not installed, or changed since install.</exception>
    public static ImmutableArray<InstalledPlugin> Load(ProjectPluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lockFile = PluginLock.TryLoad(settings.ProjectDirectory);
        if (settings.Requirements.IsEmpty && lockFile is null)
        {
            return [];
        }

        const string fix = "run 'infra plugin install'";
        if (lockFile is null)
        {
            var first = settings.Requirements.Keys.First();
            throw new PluginException(first, $"required by {PluginResolver.Project} but {PluginLock.FileName} is missing; {fix}.");
        }

        foreach (var (name, range) in settings.Requirements)
        {
            if (!lockFile.Plugins.TryGetValue(name, out var locked))
            {
                throw new PluginException(name, $"required by {PluginResolver.Project} ({range.PrettyPrint()}) but not in {PluginLock.FileName}; {fix}.");
            }

            if (!range.Satisfies(locked.SemanticVersion))
            {
                throw new PluginException(name, $"{PluginLock.FileName} has {locked.Version}, but {PluginResolver.Project} requires {range.PrettyPrint()}; {fix}.");
            }
        }

        var plugins = ImmutableArray.CreateBuilder<InstalledPlugin>();
        foreach (var (name, locked) in lockFile.Plugins)
        {
            var directory = PluginInstaller.DirectoryOf(settings.ProjectDirectory, name, locked.Version);
            if (!File.Exists(Path.Combine(directory, PluginManifest.FileName)))
            {
                throw new PluginException(name, $"version {locked.Version} is locked but not installed; {fix}.");
            }

            if (PluginPackage.TreeDigest(directory) != locked.Tree)
            {
                throw new PluginException(name, $"the installed {locked.Version} does not match {PluginLock.FileName} (its files changed since install); {fix} to restore it.");
            }

            var manifest = PluginManifest.Load(directory);
            foreach (var (dependency, range) in manifest.DependencyRanges)
            {
                if (!lockFile.Plugins.TryGetValue(dependency, out var other) || !range.Satisfies(other.SemanticVersion))
                {
                    throw new PluginException(name, $"version {locked.Version} needs '{dependency}' {range.PrettyPrint()}, which {PluginLock.FileName} does not hold; {fix}.");
                }
            }

            plugins.Add(new InstalledPlugin(manifest, settings.GrantOf(name), settings));
        }

        return plugins.ToImmutable();
    }
}
