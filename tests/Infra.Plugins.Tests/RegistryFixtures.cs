using System.Text.Json.Nodes;
using Infra.Plugins.Manifest;
using Infra.Plugins.Registry;

namespace Infra.Plugins.Tests;

/// <summary>A throwaway registry folder, a publisher key, and projects that trust it.</summary>
internal sealed class TestRegistry : IDisposable
{
    public TestRegistry()
    {
        Directory.CreateDirectory(Folder);
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("infra-registry-").FullName;

    public string Folder => Path.Combine(Root, "registry");

    public PublisherKey Key { get; } = PublisherKey.Generate();

    public async Task<PluginRelease> PublishAsync(string pluginFolder) =>
        (await PluginPublisher.PublishAsync(pluginFolder, Folder, Key, clock: null, CancellationToken.None)).Release;

    /// <summary>A small provider plugin (the hostile one's code, which is harmless unless asked) with its own name, version and manifest fields.</summary>
    public string Plugin(string name, string version, string? dependencies = null, string protocol = "infra-plugin/1")
    {
        var folder = Path.Combine(Root, "src", $"{name}-{version}");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(TestPlugins.Folder, "hostile", "hostile.mjs"), Path.Combine(folder, "plugin.mjs"), overwrite: true);
        File.WriteAllText(Path.Combine(folder, PluginManifest.FileName), $$"""
            { "name": "{{name}}", "version": "{{version}}", "kind": "provider", "protocol": "{{protocol}}", "runtime": "node",
              "command": ["node", "plugin.mjs"], "dependencies": {{dependencies ?? "{}"}} }
            """);
        return folder;
    }

    /// <summary>A project trusting this registry's key (as 'tests'), requiring <paramref name="require"/>, with extra plugin settings.</summary>
    public string Project(string require, string extra = "", string? trustedKey = null)
    {
        var project = Directory.CreateTempSubdirectory("infra-plugin-project-").FullName;
        File.WriteAllText(Path.Combine(project, "Pulumi.yaml"), $"""
            name: plugin-project
            runtime: dotnet
            stackConfigDir: environments
            # The plugins this project needs.
            plugins:
              registry: {Folder}
              trustedKeys:
                tests: {trustedKey ?? Key.PublicKey}
              require:
            {require}
            {extra}
            """);
        return project;
    }

    /// <summary>Rewrites a release in the registry's index, as an attacker with write access to the index could.</summary>
    public void EditIndex(string name, Action<JsonObject> edit)
    {
        var path = Path.Combine(Folder, RegistryIndex.EntryPath(name));
        var entry = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(entry["versions"]!.AsArray()[^1]!.AsObject());
        File.WriteAllText(path, entry.ToJsonString());
    }

    public void Dispose()
    {
        Key.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
