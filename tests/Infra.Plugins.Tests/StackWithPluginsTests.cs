using Infra.TestSupport;
using Infra.Automation;
using Infra.Plugins.Manifest;
using Infra.Plugins.Providers;
using Infra.Plugins.Runtime;
using Infra.Policies;
using Infra.Policies.Plugins;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Tests;

/// <summary>Plugins used by a stack through the engine, as <c>infra up</c> uses them.</summary>
[Collection(PluginExamplesCollection.Name)]
public sealed class StackWithPluginsTests
{
    private sealed class Record(string name, PropertyMap inputs) : CustomResource("dns:index:Record", name, inputs);

    private sealed class Thing(string name) : CustomResource("faulty:index:Thing", name, PropertyMap.Create([new("name", PropertyValue.Create(name))]));

    private static PropertyMap RecordInputs(string name, string value, string tenant) => PropertyMap.Create([
        new("name", PropertyValue.Create(name)),
        new("type", PropertyValue.Create("A")),
        new("value", PropertyValue.Create(value)),
        new("tenantId", PropertyValue.Create(tenant)),
    ]);

    private static async Task<(Workspace Workspace, string Directory)> OpenAsync(IProviderFactory provider, PolicyPackSet packs)
    {
        var directory = Directory.CreateTempSubdirectory("infra-plugin-stack-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "Pulumi.yaml"), """
            name: plugins
            runtime: dotnet
            stackConfigDir: environments
            config:
              dns:zoneFile: { type: string }
              faulty:stateFile: { type: string }
            """);
        var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = directory,
            Passphrase = "plugin tests",
            Providers = [provider],
            PolicyResolver = packs.ForStack,
            Environment = new Dictionary<string, string?>(),
            StateBackends = TestProject.StateBackends,
        });
        return (workspace, directory);
    }

    /// <summary>A stack "dev" whose resources the faulty plugin serves, its state file in the project folder.</summary>
    private static async Task<(Workspace Workspace, WorkspaceStack Stack)> FaultyStackAsync(PluginOptions options)
    {
        var (workspace, directory) = await OpenAsync(new PluginProviderFactory("faulty", options), PolicyPackSet.Empty);
        var stack = await workspace.CreateStackAsync("dev");
        await stack.SetConfigAsync("faulty:stateFile", Path.Combine(directory, "objects.json"));
        return (workspace, stack);
    }

    [Fact]
    public async Task A_stack_manages_records_with_the_typescript_plugin_while_the_python_pack_blocks_an_unlisted_tenant()
    {
        var allowList = Path.Combine(Directory.CreateTempSubdirectory("tenants-").FullName, "tenants.txt");
        await File.WriteAllTextAsync(allowList, "acme\n");
        await using var tenants = await PluginPolicyPack.StartAsync(PluginManifest.Load(TestPlugins.TenantAllowList).ToOptions(), CancellationToken.None);
        var dns = new PluginProviderFactory("dns", TestPlugins.Example(TestPlugins.Dns));
        var (workspace, directory) = await OpenAsync(dns, PolicyPackSet.Empty.Add(tenants, TestPlugins.TenantAllowList));
        await using var session = workspace;
        var stack = await workspace.CreateStackAsync("dev");
        var zone = Path.Combine(directory, "zone.db");
        await stack.SetConfigAsync("dns:zoneFile", zone);
        await File.AppendAllTextAsync(stack.SettingsPath, $"policies:\n  tenant-allowlist:\n    allowListFile: {allowList}\n");
        var acme = StackProgram.FromDelegate(ctx =>
        {
            _ = new Record("www", RecordInputs("www", "192.0.2.1", "acme"));
            _ = new Record("api", RecordInputs("api", "192.0.2.2", "acme"));
        });

        await stack.UpAsync(new UpOptions { Program = acme });
        Assert.Equal(["api 300 IN A 192.0.2.2", "www 300 IN A 192.0.2.1"], (await File.ReadAllLinesAsync(zone)).Order(StringComparer.Ordinal));
        var again = await stack.PreviewAsync(new PreviewOptions { Program = acme });
        Assert.Equal(0, again.Summary.Changes);

        var initech = StackProgram.FromDelegate(ctx => _ = new Record("www", RecordInputs("www", "192.0.2.1", "initech")));
        var refused = await Assert.ThrowsAsync<PolicyViolationException>(() => stack.PreviewAsync(new PreviewOptions { Program = initech }));
        Assert.Contains("'initech' is not on the allow list", string.Join('\n', refused.Violations.Select(static v => v.Message)), StringComparison.Ordinal);
        Assert.All(refused.Violations, static v => Assert.Equal("tenant-allowlist", v.Pack));

        await stack.DestroyAsync(new DestroyOptions());
        Assert.Empty(await File.ReadAllLinesAsync(zone));
    }

    [Fact]
    public async Task A_create_the_plugin_never_answered_stays_pending_and_the_next_up_adopts_what_it_did()
    {
        var (workspace, stack) = await FaultyStackAsync(TestPlugins.Faulty());
        await using var session = workspace;
        var program = StackProgram.FromDelegate(ctx => _ = new Thing("crash-after-write"));

        var failed = await Assert.ThrowsAnyAsync<InfraException>(() => stack.UpAsync(new UpOptions { Program = program }));
        Assert.Contains("plugin 'faulty': create: exited with code 3", failed.Message + string.Join(' ', (failed as UpdateFailedException)?.Errors ?? []), StringComparison.Ordinal);
        Assert.Single((await stack.GetSnapshotAsync()).Pending);

        await stack.UpAsync(new UpOptions { Program = program });

        var snapshot = await stack.GetSnapshotAsync();
        Assert.Empty(snapshot.Pending);
        Assert.Equal("crash-after-write", Assert.Single(snapshot.Resources, static r => r.Type == "faulty:index:Thing").Id);
    }

    [Fact]
    public async Task An_up_starts_one_plugin_process_for_its_preview_and_apply_and_checks_each_resource_once()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty());
        var (workspace, stack) = await FaultyStackAsync(options);
        await using var session = workspace;

        await stack.UpAsync(new UpOptions { Program = StackProgram.FromDelegate(ctx => { _ = new Thing("a"); _ = new Thing("b"); _ = new Thing("c"); }) });

        var requests = (await File.ReadAllLinesAsync(log))
            .Select(static l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(static e => e.GetProperty("from").GetString() == "engine")
            .Select(static e => (Process: e.GetProperty("process").GetInt32(), Message: System.Text.Json.JsonDocument.Parse(e.GetProperty("line").GetString()!).RootElement))
            .Where(static r => r.Message.TryGetProperty("method", out _))
            .ToList();
        string[] Calls(string method) => [.. requests.Where(r => r.Message.GetProperty("method").GetString() == method).Select(static r => r.Message.GetProperty("params").ToString())];
        Assert.Single(requests.Select(static r => r.Process).Distinct());
        Assert.Single(Calls("handshake"));
        Assert.Equal(3, Calls("check").Length);
        // The apply's creates only: the plugin did not announce "preview", so the engine predicted the preview's.
        Assert.Equal(3, Calls("create").Length);
        Assert.All(Calls("create"), static c => Assert.Contains("\"preview\":false", c, StringComparison.Ordinal));
        Assert.Equal(2, Calls("configure").Length); // the preview's, then the apply's
        Assert.Contains("\"isPreview\":false", Calls("configure")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_up_sends_its_previews_creates_to_a_plugin_that_announced_the_preview_capability()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty("--preview"));
        var (workspace, stack) = await FaultyStackAsync(options);
        await using var session = workspace;

        await stack.UpAsync(new UpOptions { Program = StackProgram.FromDelegate(ctx => { _ = new Thing("a"); _ = new Thing("b"); }) });

        var creates = TestPlugins.RecordedRequests(log, "create");
        Assert.Equal(2, creates.Count(static c => c.GetProperty("preview").GetBoolean()));
        Assert.Equal(2, creates.Count(static c => !c.GetProperty("preview").GetBoolean()));
    }
    [Fact]
    public async Task A_plugin_process_starts_when_the_operation_opens_before_the_program_runs_and_is_ended_with_it()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty());
        var (workspace, stack) = await FaultyStackAsync(options);
        await using var session = workspace;
        var answeredWhileTheProgramRan = false;
        var program = StackProgram.FromDelegate(ctx =>
        {
            // No provider call happens before the program has declared its resources, so only a process started with
            // the operation can have answered by now.
            answeredWhileTheProgramRan = SpinWait.SpinUntil(() => PluginHasAnswered(log), TimeSpan.FromSeconds(30));
            _ = new Thing("a");
        });

        var preview = await stack.PreviewAsync(new PreviewOptions { Program = program });

        Assert.True(answeredWhileTheProgramRan);
        Assert.Equal(1, preview.Summary.Changes);
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(Assert.Single(TestPlugins.RecordedProcesses(log))));
    }

    [Fact]
    public async Task A_plugin_that_cannot_start_fails_the_first_resource_that_needs_it_in_one_line_and_an_operation_without_its_resources_succeeds()
    {
        var options = TestPlugins.Faulty() with { Command = new PluginCommand(["no-such-runtime-here", "x.js"], "/tmp") };
        var (workspace, stack) = await FaultyStackAsync(options);
        await using var session = workspace;

        var failed = await Assert.ThrowsAsync<UpdateFailedException>(() =>
            stack.UpAsync(new UpOptions { Program = StackProgram.FromDelegate(ctx => _ = new Thing("a")) }));
        var error = Assert.Single(failed.Errors);
        Assert.Contains("plugin 'faulty': cannot start 'no-such-runtime-here x.js' in /tmp: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);

        var empty = await stack.UpAsync(new UpOptions { Program = StackProgram.FromDelegate(static ctx => { }) });
        Assert.DoesNotContain(empty.Steps, static s => s.Type == "faulty:index:Thing");
    }

    [Fact]
    public async Task A_preview_whose_state_cannot_be_read_stops_the_plugin_process_it_started()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty());
        var (workspace, stack) = await FaultyStackAsync(options);
        await using var session = workspace;
        var program = StackProgram.FromDelegate(ctx => _ = new Thing("a"));
        await stack.UpAsync(new UpOptions { Program = program });
        await using (var state = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(workspace.Project.Directory, ".infra", "state.db")};Pooling=false"))
        {
            await state.OpenAsync();
            await using var corrupt = state.CreateCommand();
            corrupt.CommandText = "UPDATE resources SET json = 'not json' WHERE stack = 'dev'";
            Assert.True(await corrupt.ExecuteNonQueryAsync() > 0);
        }

        var unreadable = await Assert.ThrowsAnyAsync<InfraException>(() => stack.PreviewAsync(new PreviewOptions { Program = program }));
        Assert.Contains("cannot be parsed", unreadable.Message, StringComparison.Ordinal);

        // The preview's plugin was started as it opened, before its state load failed. A process left behind would
        // show up within this window (its start runs in the background) and stay.
        var deadline = DateTime.UtcNow.AddSeconds(2);
        do
        {
            Assert.Empty(ProcessesRecordingTo(log));
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
    }

    /// <summary>The running processes whose command line names <paramref name="log"/>: the recorder and its plugin.</summary>
    private static List<int> ProcessesRecordingTo(string log) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(static d => int.TryParse(Path.GetFileName(d), out var id) ? id : 0)
            .Where(id => id > 0 && ReadCommandLine(id).Contains(log, StringComparison.Ordinal))];

    private static string ReadCommandLine(int process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process}/cmdline");
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static bool PluginHasAnswered(string log)
    {
        try
        {
            return File.Exists(log) && File.ReadAllText(log).Contains("\"from\":\"plugin\"", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
