using System.Net;
using System.Net.Sockets;
using Infra.Plugins.Manifest;
using Infra.Plugins.Providers;
using Infra.Plugins.Runtime;
using Infra.Plugins.Sandbox;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Tests;

/// <summary>
/// The bubblewrap sandbox against a hostile plugin: each attack works outside the sandbox (so the sandbox is what
/// stops it) and fails inside, and the engine reports the failure in one line naming the plugin.
/// </summary>
public sealed class SandboxTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("infra-sandbox-project-").FullName;

    public SandboxTests()
    {
        Directory.CreateDirectory(Path.Combine(_project, ".infra"));
        File.WriteAllText(Path.Combine(_project, ".infra", "state.json"), "{\"secret\": \"tenant passwords\"}");
    }

    private static string Hostile => Path.Combine(TestPlugins.Folder, "hostile");

    private static PluginOptions Options(IPluginLauncher launcher) => PluginManifest.Load(Hostile).ToOptions() with
    {
        Launcher = launcher,
        CallTimeout = TimeSpan.FromSeconds(60),
    };

    private static BubblewrapLauncher Sandbox(SandboxLimits? limits = null, bool network = false) =>
        new(new SandboxPolicy { Network = network, Limits = limits ?? new SandboxLimits() });

    private PluginProvider Provider(IPluginLauncher launcher) =>
        new("hostile", Options(launcher), new ProviderContext("dev", "sandbox", _project, PropertyMap.Empty, IsPreview: false));

    private static CreateRequest Attack(string attack, object target) => new(
        "urn:pulumi:dev::sandbox::hostile:index:Attack::" + attack, "hostile:index:Attack",
        PropertyMap.Create([new("attack", PropertyValue.Create(attack)), new("target", PropertyValue.Create(target.ToString()!))]),
        TimeSpan.FromSeconds(60), Preview: false);

    private static async Task<string> ResultAsync(PluginProvider provider, CreateRequest request) =>
        (await provider.CreateAsync(request, CancellationToken.None)).Outputs["result"].AsString;

    private static async Task<InfraException> RefusedAsync(PluginProvider provider, CreateRequest request)
    {
        var error = await Assert.ThrowsAnyAsync<InfraException>(() => provider.CreateAsync(request, CancellationToken.None));
        Assert.StartsWith("plugin 'hostile': create: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    [Fact]
    public async Task Outside_the_sandbox_the_hostile_plugin_reads_the_project_state_and_reaches_the_host_network()
    {
        using var listener = Listen(out var port);
        await using var provider = Provider(DirectPluginLauncher.Instance);

        Assert.Contains("tenant passwords", await ResultAsync(provider, Attack("read", Path.Combine(_project, ".infra", "state.json"))), StringComparison.Ordinal);
        Assert.Equal("connected", await ResultAsync(provider, Attack("socket", port)));
    }

    [Fact]
    public async Task In_the_sandbox_the_project_and_its_infra_folder_do_not_exist()
    {
        await using var provider = Provider(Sandbox());

        var error = await RefusedAsync(provider, Attack("read", Path.Combine(_project, ".infra", "state.json")));

        Assert.Contains("ENOENT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_the_sandbox_a_socket_to_the_host_fails_unless_the_network_is_granted()
    {
        using var listener = Listen(out var port);
        await using (var provider = Provider(Sandbox()))
        {
            var error = await RefusedAsync(provider, Attack("socket", port));
            Assert.Contains("ECONNREFUSED", error.Message, StringComparison.Ordinal);
        }

        await using var granted = Provider(Sandbox(network: true));
        Assert.Equal("connected", await ResultAsync(granted, Attack("socket", port)));
    }

    [Fact]
    public async Task In_the_sandbox_a_fork_bomb_stops_at_the_process_limit()
    {
        await using var provider = Provider(Sandbox(new SandboxLimits { Processes = 48 }));

        var error = await RefusedAsync(provider, Attack("fork", 2000));

        Assert.Contains("fork bomb stopped after", error.Message, StringComparison.Ordinal);
        Assert.Contains("EAGAIN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_the_sandbox_allocating_4_GB_fails_at_the_memory_limit()
    {
        await using var provider = Provider(Sandbox(new SandboxLimits { MemoryBytes = 512L << 20 }));

        var error = await RefusedAsync(provider, Attack("allocate", 4096));

        Assert.True(error.Message.Contains("allocation failed", StringComparison.OrdinalIgnoreCase) || error.Message.Contains("was killed by", StringComparison.Ordinal),
            error.Message);
    }

    [Fact]
    public async Task In_the_sandbox_a_busy_loop_is_killed_at_its_CPU_time_limit_and_reported_as_such()
    {
        await using var provider = Provider(Sandbox(new SandboxLimits { CpuSeconds = 2 }));

        var error = await Assert.ThrowsAsync<PluginFaultException>(() => provider.CreateAsync(Attack("spin", 0), CancellationToken.None));

        Assert.Equal(PluginFault.Crashed, error.Fault);
        Assert.Contains("was killed by SIGXCPU (its CPU time limit)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task In_the_sandbox_the_environment_holds_no_passphrase_and_the_path_is_the_distributions()
    {
        Environment.SetEnvironmentVariable(PluginEnvironment.PassphraseVariable, "never passed");
        try
        {
            await using var provider = Provider(Sandbox());

            var names = (await ResultAsync(provider, Attack("env", 0))).Split(',');

            Assert.DoesNotContain(PluginEnvironment.PassphraseVariable, names);
            Assert.Contains("PATH", names);
        }
        finally
        {
            Environment.SetEnvironmentVariable(PluginEnvironment.PassphraseVariable, null);
        }
    }

    [Fact]
    public void The_sandbox_binds_the_plugin_folder_read_only_and_nothing_of_the_project()
    {
        var arguments = Sandbox().SandboxArguments(new PluginCommand(["node", "x.js"], Hostile)).ToList();

        var folder = arguments.IndexOf(Hostile);
        Assert.Equal("--ro-bind", arguments[folder - 1]);
        Assert.Contains("--unshare-all", arguments);
        Assert.Contains("--die-with-parent", arguments);
        Assert.DoesNotContain("--share-net", arguments);
        Assert.DoesNotContain(arguments, a => a.StartsWith(_project, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
