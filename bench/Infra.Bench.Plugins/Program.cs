using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Infra;
using Infra.Automation;
using Infra.Bench.Plugins;
using Infra.Plugins.Manifest;
using Infra.Plugins.Runtime;
using Infra.Plugins.Protocol;
using Infra.Plugins.Providers;
using Infra.Plugins.Sandbox;
using Infra.Providers;
using Infra.TestSupport;
using Infra.Values;

// Out-of-process plugin benchmarks. Prints `name value unit` per line on stdout; the machine goes to stderr.
// `up_1000.*`: an up of a stack of 1,000 resources, as `infra up` runs it (engine, state, journal), with the same
// memory provider in process (the baseline) and through the TypeScript and Python SDKs, the median of 3 taken in
// turns; `.cpu.engine` and `.cpu.plugin` are that up's CPU seconds in this process and in the plugin, `.alloc.engine`
// the megabytes this process allocated during it (steady where CPU time is not, so a per-call cut shows); `ratio.*`
// divides each by the baseline (target at most 1.5); `*_standby` are the same plugins with
// `PluginProviderFactory.Standby`, as a long-lived Automation API host would run them: each up's process was started
// when the previous up's stopped, before the up began (the bench waits for it, so no start falls into another up;
// their `.cpu.plugin` still counts the start, as a process's CPU is counted when it exits);
// with the argument `ups`, only these. `start.*`: from spawning a plugin to its answer to getSchema, unsandboxed,
// median of 15, per SDK; `start.sandboxed.*` the same under the bubblewrap sandbox (target at most 300 ms). Build the SDKs first (npm ci and npm run build in sdk/typescript; sdk/java/build.sh).
const int Resources = 1000;
const int Samples = 3;
const int Starts = 15;

await Console.Error.WriteLineAsync($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
var root = RepositoryPaths.Root;
var plugins = Path.Combine(root, "bench", "Infra.Bench.Plugins", "Plugins");
var typescript = new PluginCommand(["node", Path.Combine(plugins, "memory.mjs")], plugins);
// Debian's interpreter (what scripts/install.sh provides), not a version manager's shim, which adds its own start-up.
var pythonProgram = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
await Console.Error.WriteLineAsync($"python: {pythonProgram}");
var python = new PluginCommand([pythonProgram, Path.Combine(plugins, "memory.py")], plugins)
{
    Environment = new Dictionary<string, string> { ["PYTHONPATH"] = Path.Combine(root, "sdk", "python", "src") }.ToImmutableDictionary(),
};
if (!File.Exists(Path.Combine(root, "sdk", "typescript", "dist", "src", "index.js")))
{
    await Console.Error.WriteLineAsync("error: the TypeScript SDK is not built; run 'npm ci && npm run build' in sdk/typescript.");
    return 1;
}

var sides = new (string Name, IProviderFactory Factory)[]
{
    ("in_process", new ProviderFactory("memory", _ => new MemoryProvider())),
    ("typescript", new PluginProviderFactory("memory", new PluginOptions { Name = "memory", Command = typescript })),
    ("python", new PluginProviderFactory("memory", new PluginOptions { Name = "memory", Command = python })),
    ("typescript_standby", new PluginProviderFactory("memory", new PluginOptions { Name = "memory", Command = typescript }) { Standby = true }),
    ("python_standby", new PluginProviderFactory("memory", new PluginOptions { Name = "memory", Command = python }) { Standby = true }),
};
// One warm-up up per side: the engine's JIT of its own path and of the plugin path (StreamJsonRpc, the protocol's
// serializers) is a once-per-process cost, not a per-up cost. Then the sides take turns, round after round, so a
// change of load on the shared machine falls on all of them alike. Each plugin up starts its own plugin process.
foreach (var (_, factory) in sides)
{
    await UpAsync(factory);
}

var ups = sides.ToDictionary(static s => s.Name, static _ => new List<UpFigures>());
for (var round = 0; round < Samples; round++)
{
    foreach (var (name, factory) in sides)
    {
        ups[name].Add(await UpAsync(factory));
    }
}

var inProcess = Median(ups["in_process"]).Wall;
foreach (var (name, _) in sides)
{
    var (wall, cpu, allocated) = Median(ups[name]);
    Figure($"up_1000.{name}", wall.TotalSeconds, "s");
    Figure($"up_1000.{name}.cpu.engine", cpu.Engine.TotalSeconds, "s");
    Figure($"up_1000.{name}.alloc.engine", allocated / 1e6, "MB");
    if (name != "in_process")
    {
        Figure($"up_1000.{name}.cpu.plugin", cpu.Plugin.TotalSeconds, "s");
        Figure($"ratio.{name}", wall / inProcess, "x");
    }
}

foreach (var (_, factory) in sides)
{
    if (factory is IAsyncDisposable standby)
    {
        await standby.DisposeAsync();
    }
}

if (args is ["ups"])
{
    return 0;
}

var examples = new (string Name, PluginOptions Options)[]
{
    ("typescript", new PluginOptions { Name = "memory", Command = typescript }),
    ("python", new PluginOptions { Name = "memory", Command = python }),
    ("java", PluginManifest.Load(Path.Combine(root, "sdk", "java", "examples", "kvstore")).ToOptions()),
    ("dotnet", new PluginOptions
    {
        Name = "random",
        Command = new PluginCommand(["dotnet", Path.Combine(AppContext.BaseDirectory, "Infra.Plugin.Host.dll"), "--provider", "random"], AppContext.BaseDirectory),
    }),
};
foreach (var (name, options) in examples)
{
    if (name == "java" && !File.Exists(Path.Combine(root, "sdk", "java", "examples", "kvstore", "build", "kvstore.jar")))
    {
        await Console.Error.WriteLineAsync("skip: start.java needs sdk/java/build.sh first");
        continue;
    }

    Figure($"start.{name}.p50", await MedianStartAsync(options), "ms");
}

if (BubblewrapLauncher.Bubblewrap is null)
{
    await Console.Error.WriteLineAsync("skip: start.sandboxed needs bubblewrap (scripts/install.sh)");
}
else
{
    // The bench's plugins import the SDKs from the repository, so the sandbox shows them read-only too.
    var sandbox = new BubblewrapLauncher(new SandboxPolicy
    {
        ReadOnlyPaths = [Path.Combine(root, "sdk", "typescript", "dist"), Path.Combine(root, "sdk", "python", "src")],
    });
    foreach (var (name, command) in new[] { ("typescript", typescript), ("python", python) })
    {
        Figure($"start.sandboxed.{name}.p50", await MedianStartAsync(new PluginOptions { Name = "memory", Command = command, Launcher = sandbox }), "ms");
    }
}

foreach (var (name, command) in new[] { ("typescript", typescript), ("python", python) })
{
    Figure($"roundtrip.{name}.mean", await RoundTripMicrosecondsAsync(new PluginOptions { Name = "memory", Command = command }), "us");
}

return 0;

static void Figure(string name, double value, string unit) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plugins.{name} {value:0.###} {unit}"));

static UpFigures Median(List<UpFigures> ups) => ups.OrderBy(static u => u.Wall).ElementAt(ups.Count / 2);

async Task<UpFigures> UpAsync(IProviderFactory provider)
{
    // No side's standby may still be starting while another side's up is measured.
    foreach (var (_, factory) in sides)
    {
        if (factory is PluginProviderFactory plugin)
        {
            await plugin.StandbyReadyAsync();
        }
    }

    using var project = new CliProject();
    await using var workspace = await Workspace.OpenAsync(new WorkspaceOptions
    {
        ProjectDirectory = project.Directory,
        Passphrase = "benchmark passphrase",
        Providers = [provider],
        Environment = new Dictionary<string, string?>(),
        StateBackends = TestProject.StateBackends,
    });
    var stack = await workspace.CreateStackAsync("bench");
    var program = StackProgram.FromDelegate(ctx =>
    {
        for (var i = 0; i < Resources; i++)
        {
            _ = new Item(i);
        }
    });
    var cpu = CpuTime.Now();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var started = Stopwatch.GetTimestamp();
    await stack.UpAsync(new UpOptions { Program = program });
    var up = new UpFigures(Stopwatch.GetElapsedTime(started), CpuTime.Now() - cpu, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    var state = await stack.GetSnapshotAsync();
    if (state.Resources.Count(static r => r.Type == Item.Token) != Resources)
    {
        throw new InvalidOperationException("the up did not record every resource");
    }

    return up;
}

static async Task<double> MedianStartAsync(PluginOptions options)
{
    var context = new ProviderContext("bench", "bench", Path.GetTempPath(), PropertyMap.Empty, IsPreview: false);
    var times = new List<double>();
    for (var i = 0; i < Starts; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await using var process = await PluginProcess.StartAsync(options, CancellationToken.None);
        _ = await process.InvokeAsync<PluginSchema>(PluginProtocol.GetSchema, null, CancellationToken.None);
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    return times.Order().ElementAt(times.Count / 2);
}

// The mean time of one call answered by the plugin, 2,000 calls one after another (no overlap). Each request is
// distinct: the provider answers a repeated check of one operation from memory, which is not a round trip.
static async Task<double> RoundTripMicrosecondsAsync(PluginOptions options)
{
    var context = new ProviderContext("bench", "bench", Path.GetTempPath(), PropertyMap.Empty, IsPreview: false);
    await using var provider = new PluginProvider("memory", options, context);
    var inputs = PropertyMap.Create([new("name", PropertyValue.Create("x")), new("token", PropertyValue.Secret(PropertyValue.Create("t")))]);
    const int warmUp = 200, calls = 2000;
    var requests = Enumerable.Range(0, warmUp + calls)
        .Select(i => new CheckRequest($"urn:pulumi:bench::bench::memory:index:Item::x{i}", Item.Token, null, inputs))
        .ToArray();
    for (var i = 0; i < warmUp; i++)
    {
        await provider.CheckAsync(requests[i], CancellationToken.None);
    }

    var started = Stopwatch.GetTimestamp();
    for (var i = warmUp; i < warmUp + calls; i++)
    {
        await provider.CheckAsync(requests[i], CancellationToken.None);
    }

    return Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls;
}

/// <summary>One resource of the benchmark stack: a few inputs, one of them secret, as a typical resource has.</summary>
internal sealed class Item(int index) : CustomResource(Token, $"item-{index}", PropertyMap.Create([
    new("index", PropertyValue.Create(index)),
    new("name", PropertyValue.Create($"item-{index}")),
    new("labels", PropertyValue.Create(PropertyMap.Create([new("team", PropertyValue.Create("platform")), new("tier", PropertyValue.Create(index % 3))]))),
    new("token", PropertyValue.Secret(PropertyValue.Create($"token-{index}"))),
]))
{
    public const string Token = "memory:index:Item";
}

/// <summary>One up's wall time, CPU time, and the bytes this process allocated during it.</summary>
internal readonly record struct UpFigures(TimeSpan Wall, CpuTime Cpu, long Allocated);
