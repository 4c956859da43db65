using System.Collections.Immutable;
using Infra.Plugins.Manifest;
using Infra.Plugins.Runtime;
using Infra.TestSupport;

namespace Infra.Plugins.Tests;

/// <summary>Where the plugins under test live and how to run them.</summary>
internal static class TestPlugins
{
    public static string Dns => Path.Combine(RepositoryPaths.Root, "sdk", "typescript", "examples", "dns");

    public static string KvStore => Path.Combine(RepositoryPaths.Root, "sdk", "java", "examples", "kvstore");

    public static string UsagePanel => Path.Combine(RepositoryPaths.Root, "sdk", "typescript", "examples", "usage-panel");

    public static string TenantAllowList => Path.Combine(RepositoryPaths.Root, "sdk", "python", "examples", "tenant_allowlist");

    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "Infra.Plugins.Tests", "Plugins");

    /// <summary>The deliberately faulty provider, with extra arguments.</summary>
    public static PluginOptions Faulty(params string[] arguments) => new()
    {
        Name = "faulty",
        Command = new PluginCommand(["node", Path.Combine(Folder, "faulty.mjs"), .. arguments], Folder),
        CallTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>The C# host serving one of the repository's providers.</summary>
    public static PluginOptions Host(string provider) => new()
    {
        Name = provider,
        Command = new PluginCommand(["dotnet", Path.Combine(AppContext.BaseDirectory, "Infra.Plugin.Host.dll"), "--provider", provider], AppContext.BaseDirectory),
    };

    /// <summary>The example in <paramref name="directory"/>, as its manifest runs it.</summary>
    public static PluginOptions Example(string directory) => PluginManifest.Load(directory).ToOptions();

    /// <summary><paramref name="options"/> with every protocol line recorded in the returned log (see <see cref="RecordingLauncher"/>).</summary>
    public static (PluginOptions Options, string Log) Recorded(PluginOptions options)
    {
        var log = Path.Combine(Directory.CreateTempSubdirectory("infra-plugin-log-").FullName, "wire.jsonl");
        return (options with { Launcher = new RecordingLauncher(log) }, log);
    }

    /// <summary>The IDs of the recorded plugin processes, in the order they first wrote or were written to.</summary>
    public static List<int> RecordedProcesses(string log) =>
        [.. File.ReadAllLines(log).Select(static l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("process").GetInt32()).Distinct()];

    /// <summary>The params of every <paramref name="method"/> request the engine sent, as recorded in <paramref name="log"/>.</summary>
    public static List<System.Text.Json.JsonElement> RecordedRequests(string log, string method) =>
        [.. RecordedRequestsByProcess(log, method).Select(static r => r.Params)];

    /// <summary>The recorded process that each <paramref name="method"/> request went to, with its params, in order.</summary>
    public static List<(int Process, System.Text.Json.JsonElement Params)> RecordedRequestsByProcess(string log, string method) =>
    [
        .. File.ReadAllLines(log)
            .Select(static l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(static e => e.GetProperty("from").GetString() == "engine")
            .Select(static e => (Process: e.GetProperty("process").GetInt32(), Message: System.Text.Json.JsonDocument.Parse(e.GetProperty("line").GetString()!).RootElement))
            .Where(m => m.Message.TryGetProperty("method", out var name) && name.GetString() == method)
            .Select(static m => (m.Process, m.Message.TryGetProperty("params", out var parameters) ? parameters : default)),
    ];

    /// <summary>Wraps a plugin's command so that every protocol line is recorded in <paramref name="log"/>.</summary>
    public sealed class RecordingLauncher(string log) : IPluginLauncher
    {
        public PluginCommand Prepare(PluginCommand command) =>
            command with { Arguments = ImmutableArray.Create("node", Path.Combine(Folder, "record.mjs"), log).AddRange(command.Arguments) };
    }
}

/// <summary>Builds the SDK examples once per run from their manifests' build steps, as a clean clone needs.</summary>
public sealed class PluginExamplesFixture : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        // Start from what a clean clone has: no compiled output.
        foreach (var stale in new[] { "sdk/typescript/dist", "sdk/typescript/examples/dns/dist", "sdk/typescript/examples/usage-panel/dist", "sdk/java/build", "sdk/java/examples/kvstore/build" })
        {
            var path = Path.Combine(RepositoryPaths.Root, stale);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "sdk", "typescript"), "*.tsbuildinfo", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        foreach (var example in new[] { TestPlugins.Dns, TestPlugins.KvStore, TestPlugins.TenantAllowList, TestPlugins.UsagePanel })
        {
            await PluginBuilder.BuildAsync(PluginManifest.Load(example), log: null, CancellationToken.None);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PluginExamplesCollection : ICollectionFixture<PluginExamplesFixture>
{
    public const string Name = "plugin examples";
}
