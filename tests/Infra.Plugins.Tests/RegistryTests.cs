using Infra.Plugins.Manifest;
using Infra.Plugins.Projects;
using Infra.Plugins.Registry;
using NuGet.Versioning;

namespace Infra.Plugins.Tests;

/// <summary>Publishing to a registry, and installing from it with hashes, signatures, trusted keys and a lock.</summary>
public sealed class RegistryTests : IDisposable
{
    private readonly TestRegistry _registry = new();

    private static Task<System.Collections.Immutable.ImmutableArray<InstallChange>> InstallAsync(string project, bool update = false) =>
        PluginInstaller.InstallAsync(ProjectPluginSettings.Load(project), update, registry: null, CancellationToken.None);

    [Fact]
    public async Task Publishing_packs_the_folder_deterministically_so_an_unchanged_version_publishes_as_a_no_op()
    {
        var folder = _registry.Plugin("zone-tools", "1.0.0");
        var first = PluginPackage.Pack(PluginManifest.Load(folder));
        File.SetLastWriteTimeUtc(Path.Combine(folder, "plugin.mjs"), DateTime.UtcNow.AddDays(-3));

        Assert.Equal(first, PluginPackage.Pack(PluginManifest.Load(folder)));
        var release = await _registry.PublishAsync(folder);
        var again = await PluginPublisher.PublishAsync(folder, _registry.Folder, _registry.Key, clock: null, CancellationToken.None);

        Assert.True(again.Unchanged);
        Assert.Equal(PluginPackage.Sha256(first), release.Sha256);
        Assert.Equal(first.LongLength, new FileInfo(Path.Combine(_registry.Folder, release.Artifact)).Length);
        var index = await new RegistryClient(new FolderRegistrySource(_registry.Folder)).SearchAsync("zone", CancellationToken.None);
        Assert.Equal("1.0.0", Assert.Single(index).Latest);
    }

    [Fact]
    public async Task Publishing_a_published_version_with_other_content_is_refused_in_one_line()
    {
        var folder = _registry.Plugin("zone-tools", "1.0.0");
        await _registry.PublishAsync(folder);
        await File.AppendAllTextAsync(Path.Combine(folder, "plugin.mjs"), "// changed\n");

        var error = await Assert.ThrowsAsync<PluginException>(() => _registry.PublishAsync(folder));

        Assert.StartsWith("plugin 'zone-tools': version 1.0.0 is already published with other content", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_resolves_the_highest_fitting_versions_with_dependencies_and_writes_the_lock()
    {
        await _registry.PublishAsync(_registry.Plugin("zone-base", "1.0.0"));
        await _registry.PublishAsync(_registry.Plugin("zone-base", "1.4.2"));
        await _registry.PublishAsync(_registry.Plugin("zone-base", "2.0.0"));
        await _registry.PublishAsync(_registry.Plugin("zone-tools", "1.1.0", """{ "zone-base": "[1.0.0, 2.0.0)" }"""));
        var project = _registry.Project("    zone-tools: \"1.0.0\"");

        var changes = await InstallAsync(project);

        Assert.Equal(["zone-base 1.4.2 installed", "zone-tools 1.1.0 installed"], changes.Select(static c => $"{c.Name} {c.Version} {c.Action}").Order());
        var lockFile = PluginLock.TryLoad(project)!;
        Assert.Equal("1.4.2", lockFile.Plugins["zone-base"].Version);
        Assert.Equal(["zone-tools@1.1.0"], lockFile.Plugins["zone-base"].RequiredBy.ToArray());
        Assert.Equal(64, lockFile.Plugins["zone-tools"].Sha256.Length);
        Assert.Equal(2, InstalledPlugins.Load(ProjectPluginSettings.Load(project)).Length);

        // A newer fitting version appears: install keeps the lock, install --update takes it.
        await _registry.PublishAsync(_registry.Plugin("zone-base", "1.5.0"));
        Assert.All(await InstallAsync(project), static c => Assert.Equal("kept", c.Action));
        Assert.Contains(await InstallAsync(project, update: true), static c => c is { Name: "zone-base", Version: "1.5.0", Action: "installed" });
    }

    [Fact]
    public async Task A_conflict_is_explained_with_who_wants_what_and_what_the_registry_has()
    {
        await _registry.PublishAsync(_registry.Plugin("zone-base", "1.4.2"));
        await _registry.PublishAsync(_registry.Plugin("zone-base", "2.0.0"));
        await _registry.PublishAsync(_registry.Plugin("zone-base", "3.0.0", protocol: "infra-plugin/2"));
        await _registry.PublishAsync(_registry.Plugin("zone-tools", "1.1.0", """{ "zone-base": "[1.0.0, 2.0.0)" }"""));
        var project = _registry.Project("    zone-tools: \"1.0.0\"\n    zone-base: \"[2.0.0, )\"");

        var error = await Assert.ThrowsAsync<PluginConflictException>(() => InstallAsync(project));

        Assert.Equal(
            "plugin 'zone-base': no version satisfies every requirement: Pulumi.yaml wants (>= 2.0.0); zone-tools@1.1.0 wants (>= 1.0.0 && < 2.0.0); " +
            "the registry has 3.0.0 (speaks infra-plugin/2, this engine speaks infra-plugin/1), 2.0.0, 1.4.2.",
            error.Message);
        Assert.False(File.Exists(PluginLock.PathIn(project)));
    }

    [Fact]
    public async Task A_tampered_package_is_refused_in_one_line_and_nothing_is_installed()
    {
        var release = await _registry.PublishAsync(_registry.Plugin("zone-tools", "1.0.0"));
        var artifact = Path.Combine(_registry.Folder, release.Artifact);
        var bytes = await File.ReadAllBytesAsync(artifact);
        bytes[^10] ^= 0xff;
        await File.WriteAllBytesAsync(artifact, bytes);
        var project = _registry.Project("    zone-tools: \"1.0.0\"");

        var error = await Assert.ThrowsAsync<PluginException>(() => InstallAsync(project));

        Assert.StartsWith("plugin 'zone-tools': version 1.0.0: bad hash: the package's sha256 is ", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled(project);
    }

    [Fact]
    public async Task An_index_whose_hash_was_changed_to_match_a_tampered_package_fails_its_signature()
    {
        var release = await _registry.PublishAsync(_registry.Plugin("zone-tools", "1.0.0"));
        var artifact = Path.Combine(_registry.Folder, release.Artifact);
        var bytes = await File.ReadAllBytesAsync(artifact);
        bytes[^10] ^= 0xff;
        await File.WriteAllBytesAsync(artifact, bytes);
        _registry.EditIndex("zone-tools", r => r["sha256"] = PluginPackage.Sha256(bytes));
        var project = _registry.Project("    zone-tools: \"1.0.0\"");

        var error = await Assert.ThrowsAsync<PluginException>(() => InstallAsync(project));

        Assert.StartsWith("plugin 'zone-tools': version 1.0.0: bad signature: the signature does not verify with the key of 'tests'", error.Message, StringComparison.Ordinal);
        AssertNothingInstalled(project);
    }

    [Fact]
    public async Task A_package_signed_by_a_key_the_project_does_not_trust_is_refused_in_one_line()
    {
        await _registry.PublishAsync(_registry.Plugin("zone-tools", "1.0.0"));
        using var stranger = PublisherKey.Generate();
        var project = _registry.Project("    zone-tools: \"1.0.0\"", trustedKey: stranger.PublicKey);

        var error = await Assert.ThrowsAsync<PluginException>(() => InstallAsync(project));

        Assert.StartsWith($"plugin 'zone-tools': version 1.0.0: unknown key: signed by key {PublicKeyText.Id(_registry.Key.PublicKey)}", error.Message, StringComparison.Ordinal);
        Assert.Contains("add it under plugins.trustedKeys in Pulumi.yaml", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        AssertNothingInstalled(project);
    }

    [Fact]
    public async Task Operations_refuse_a_missing_lock_a_plugin_not_installed_one_edited_after_install_or_a_lock_outside_the_range()
    {
        await _registry.PublishAsync(_registry.Plugin("zone-tools", "1.0.0"));
        var project = _registry.Project("    zone-tools: \"1.0.0\"");
        string Refusal() => Assert.Throws<PluginException>(() => InstalledPlugins.Load(ProjectPluginSettings.Load(project))).Message;

        Assert.Equal("plugin 'zone-tools': required by Pulumi.yaml but plugins.lock is missing; run 'infra plugin install'.", Refusal());

        await InstallAsync(project);
        var folder = PluginInstaller.DirectoryOf(project, "zone-tools", "1.0.0");
        await File.AppendAllTextAsync(Path.Combine(folder, "plugin.mjs"), "// patched in place\n");
        Assert.Equal("plugin 'zone-tools': the installed 1.0.0 does not match plugins.lock (its files changed since install); run 'infra plugin install' to restore it.", Refusal());

        Directory.Delete(folder, recursive: true);
        Assert.Equal("plugin 'zone-tools': version 1.0.0 is locked but not installed; run 'infra plugin install'.", Refusal());

        await InstallAsync(project);
        ProjectFileEditor.SetRequirement(project, "zone-tools", VersionRange.Parse("[2.0.0, )"));
        Assert.Equal("plugin 'zone-tools': plugins.lock has 1.0.0, but Pulumi.yaml requires (>= 2.0.0); run 'infra plugin install'.", Refusal());
    }

    [Fact]
    public void Editing_requirements_keeps_the_project_file_s_comments_and_other_keys()
    {
        var project = _registry.Project("    zone-base: \"1.0.0\"");

        ProjectFileEditor.SetRequirement(project, "zone-tools", VersionRange.Parse("[1.0.0, 2.0.0)"));
        Assert.True(ProjectFileEditor.RemoveRequirement(project, "zone-base"));

        var settings = ProjectPluginSettings.Load(project);
        Assert.Equal(["zone-tools"], settings.Requirements.Keys);
        Assert.Contains("# The plugins this project needs.", File.ReadAllText(Path.Combine(project, "Pulumi.yaml")), StringComparison.Ordinal);
        Assert.Equal("tests", settings.TrustedKeys.NameOf(_registry.Key.PublicKey));
    }

    [Fact]
    public void A_project_without_a_plugins_section_needs_no_install_step()
    {
        var settings = ProjectPluginSettings.Load(TestSupport.RepositoryPaths.Root);

        Assert.Empty(settings.Requirements);
        Assert.Empty(InstalledPlugins.Load(settings));
    }

    private static void AssertNothingInstalled(string project)
    {
        Assert.False(File.Exists(PluginLock.PathIn(project)));
        var plugins = Path.Combine(project, PluginInstaller.PluginsFolder);
        Assert.True(!Directory.Exists(plugins) || !Directory.EnumerateFileSystemEntries(plugins).Any());
    }

    public void Dispose() => _registry.Dispose();
}
