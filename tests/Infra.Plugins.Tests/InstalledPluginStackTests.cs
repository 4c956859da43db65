using System.Diagnostics;
using Infra.Automation;
using Infra.Plugins.Projects;
using Infra.Plugins.Providers;
using Infra.Plugins.Runtime;
using Infra.Policies;
using Infra.Policies.Plugins;
using Infra.TestSupport;
using Infra.Values;

namespace Infra.Plugins.Tests;

/// <summary>
/// The three SDK examples as a user gets them: published to a registry, served by a plain web server (python's
/// http.server on 127.0.0.1), installed with verification into a project, and run by a stack under the sandbox.
/// </summary>
[Collection(PluginExamplesCollection.Name)]
public sealed class InstalledPluginStackTests : IAsyncLifetime
{
    private readonly TestRegistry _registry = new();
    private Process? _server;
    private string _url = string.Empty;

    private sealed class Record(string name, string tenant) : CustomResource("dns:index:Record", name, PropertyMap.Create([
        new("name", PropertyValue.Create(name)), new("type", PropertyValue.Create("A")),
        new("value", PropertyValue.Create("192.0.2.7")), new("tenantId", PropertyValue.Create(tenant)),
    ]));

    public async Task InitializeAsync()
    {
        foreach (var example in new[] { TestPlugins.Dns, TestPlugins.TenantAllowList, TestPlugins.KvStore })
        {
            await _registry.PublishAsync(example);
        }

        var port = LoopbackPort.Free();
        _server = Process.Start(new ProcessStartInfo("python3", ["-m", "http.server", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--directory", _registry.Folder])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();
        _url = $"http://127.0.0.1:{port}/";
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                (await http.GetAsync(new Uri(_url + "index.json"))).EnsureSuccessStatusCode();
                break;
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task A_stack_uses_plugins_installed_over_http_under_the_sandbox_writing_only_its_granted_folders()
    {
        var project = _registry.Project(
            "    dns: \"[0.1.0, 0.2.0)\"\n    tenant-allowlist: \"0.1.0\"\n    kvstore: \"0.1.*\"",
            "  grants:\n    dns: { filesystem: [zones] }\n    tenant-allowlist: { filesystem: [policy] }\n    kvstore: { filesystem: [kv] }\n" +
            "config:\n  dns:zoneFile: { type: string }\n  dns:origin: { type: string }\n");
        File.WriteAllText(Path.Combine(project, "Pulumi.yaml"), File.ReadAllText(Path.Combine(project, "Pulumi.yaml")).Replace(_registry.Folder, _url, StringComparison.Ordinal));
        var settings = ProjectPluginSettings.Load(project);

        var changes = await PluginInstaller.InstallAsync(settings, update: false, registry: null, CancellationToken.None);

        Assert.Equal(["dns 0.1.0", "kvstore 0.1.0", "tenant-allowlist 0.1.0"], changes.Select(static c => $"{c.Name} {c.Version}").Order());
        Assert.StartsWith(_url + "artifacts/dns/dns-0.1.0.tgz", PluginLock.TryLoad(project)!.Plugins["dns"].Source, StringComparison.Ordinal);
        var installed = InstalledPlugins.Load(settings).ToDictionary(static p => p.Name);

        // Java in the sandbox: the JVM starts and answers under the memory limit.
        await using (var kv = await PluginProcess.StartAsync(installed["kvstore"].ToOptions(), CancellationToken.None))
        {
            Assert.Equal("kvstore", kv.Info!.Name);
        }

        Directory.CreateDirectory(Path.Combine(project, "policy"));
        await File.WriteAllTextAsync(Path.Combine(project, "policy", "tenants.txt"), "acme\n");
        await using var tenants = await PluginPolicyPack.StartAsync(installed["tenant-allowlist"].ToOptions(), CancellationToken.None);
        await using var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = project,
            Passphrase = "installed plugins",
            Providers = [new PluginProviderFactory("dns", installed["dns"].ToOptions())],
            PolicyResolver = PolicyPackSet.Empty.Add(tenants, "tenant-allowlist").ForStack,
            Environment = new Dictionary<string, string?>(),
            StateBackends = TestProject.StateBackends,
        });
        var stack = await workspace.CreateStackAsync("dev");
        var zone = Path.Combine(project, "zones", "zone.db");
        await stack.SetConfigAsync("dns:zoneFile", zone);
        await File.AppendAllTextAsync(stack.SettingsPath, $"policies:\n  tenant-allowlist:\n    allowListFile: {Path.Combine(project, "policy", "tenants.txt")}\n");

        await stack.UpAsync(new UpOptions { Program = StackProgram.FromDelegate(ctx => _ = new Record("www", "acme")) });

        Assert.Equal(["www 300 IN A 192.0.2.7"], await File.ReadAllLinesAsync(zone));
        var refused = await Assert.ThrowsAsync<PolicyViolationException>(() =>
            stack.PreviewAsync(new PreviewOptions { Program = StackProgram.FromDelegate(ctx => _ = new Record("www", "initech")) }));
        Assert.Contains("'initech' is not on the allow list", string.Join('\n', refused.Violations.Select(static v => v.Message)), StringComparison.Ordinal);
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit();
        }

        _server?.Dispose();
        _registry.Dispose();
        return Task.CompletedTask;
    }

}

/// <summary>The example UI plugin as the portal will get it from the registry.</summary>
[Collection(PluginExamplesCollection.Name)]
public sealed class UiPluginRegistryTests : IDisposable
{
    private readonly TestRegistry _registry = new();

    [Fact]
    public async Task A_ui_plugin_is_published_as_one_es_module_with_a_signed_subresource_integrity_hash()
    {
        var release = await _registry.PublishAsync(TestPlugins.UsagePanel);

        Assert.Equal(("ui", "infra-ui/1", "artifacts/usage-panel/usage-panel-0.1.0.js"), (release.Kind, release.Protocol, release.Module));
        var module = await File.ReadAllBytesAsync(Path.Combine(_registry.Folder, release.Module!));
        Assert.Equal(Registry.PluginPackage.Integrity(module), release.Integrity);
        Assert.DoesNotContain("from \"@infra/plugin-sdk", System.Text.Encoding.UTF8.GetString(module), StringComparison.Ordinal);

        // An index whose integrity hash was swapped for a tampered module's no longer matches its signature.
        _registry.EditIndex("usage-panel", r => r["integrity"] = Registry.PluginPackage.Integrity("export {};"u8));
        var project = _registry.Project("    usage-panel: \"0.1.0\"");
        var error = await Assert.ThrowsAsync<PluginException>(() =>
            PluginInstaller.InstallAsync(ProjectPluginSettings.Load(project), update: false, registry: null, CancellationToken.None));
        Assert.Contains("bad signature", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _registry.Dispose();
}
