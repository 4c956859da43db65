using System.Diagnostics;
using Infra.Automation;
using Infra.Hosting;
using Infra.TestSupport;

namespace Infra.Bench.Tenants;

/// <summary>
/// The render side: each tenant an <c>up</c> of a tenant program in its own stack, writing its folder into one
/// shared GitOps tree and committing it, as the onboarding service runs them.
/// </summary>
internal sealed class RenderFleet : FleetSide
{
    private const int Samples = 10;
    // Eight ups per slot before the fleet: fewer left 700 of the fleet's methods (about 0.5 s of JIT per 100 tenants)
    // to be recompiled inside it; with these, 136 methods in 0.07 s.
    private const int WarmFleet = 8 * Parallel;
    private const string Passphrase = "benchmark passphrase";

    private readonly CliProject _folder;
    private readonly Workspace _workspace;
    private readonly StackProgram _program;
    private readonly string _prefix;
    private readonly List<WorkspaceStack> _stacks = [];

    private RenderFleet(string variant, int fleet, CliProject folder, Workspace workspace, StackProgram program, string prefix)
        : base($"gitops.tenants{fleet}.{variant}.parallel{Parallel}", variant, "helm and git", fleet)
    {
        Variant = variant;
        _folder = folder;
        _workspace = workspace;
        _program = program;
        _prefix = prefix;
    }

    /// <summary>Which tenant program this side runs (<c>with_database</c>, <c>without_database</c>).</summary>
    public string Variant { get; }

    /// <summary>
    /// A new project and GitOps tree; the single-tenant figure (<c>gitops.tenant.{variant}.p50</c>, printed here); then
    /// every stack of the fleet created, with its settings and keys, and a warm-up fleet run, none of it timed.
    /// </summary>
    public static async Task<RenderFleet> PrepareAsync(string variant, StackProgram program, string? admin, (string Key, string Value)[] kubernetes, string prefix, int fleet)
    {
        var folder = new CliProject();
        var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = folder.Directory,
            Passphrase = Passphrase,
            Providers = ProviderCatalog.All,
            StateBackends = StateBackendCatalog.All,
            Environment = new Dictionary<string, string?>(),
        });
        var side = new RenderFleet(variant, fleet, folder, workspace, program, prefix);

        async Task<WorkspaceStack> CreateAsync(string id)
        {
            var stack = await workspace.CreateStackAsync($"tenant-{id}");
            // In one write, as the onboarding service sets a tenant's keys: a write per key replaced the settings file
            // seven times per stack, and on ext4 without a journal (the benchmark machine's) the inodes it freed slowed
            // every file the measured fleet then created (docs/benchmarks.md, 'Freed inodes').
            await stack.SetAllConfigAsync(kubernetes.Concat([("infra:kind", "tenant"), ("tenant:id", id), ("tenant:plan", "standard")])
                .ToDictionary(static pair => pair.Item1, static pair => pair.Item2, StringComparer.Ordinal));
            if (admin is not null)
            {
                await stack.SetConfigAsync("postgres:connectionString", admin, secret: true);
            }

            return stack;
        }

        // Warm up the JIT, helm's page cache and the server on one tenant that is not counted.
        await (await CreateAsync($"{prefix}w")).UpAsync(new UpOptions { Program = program });
        var samples = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var stack = await CreateAsync($"{prefix}s{i}");
            var clock = Stopwatch.StartNew();
            await stack.UpAsync(new UpOptions { Program = program });
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        Figures.Print($"gitops.tenant.{variant}.p50", Figures.Percentile(samples, 50), "ms");

        // The stacks (and their keys) exist beforehand: the figure is the rendering, not PBKDF2.
        for (var i = 0; i < fleet; i++)
        {
            side._stacks.Add(await CreateAsync($"{prefix}f{i}"));
        }

        // The single ups above call each per-up method 11 times, short of the 30 calls after which the runtime
        // recompiles a method optimised, and never take the paths of ups running side by side (stacks meeting in one
        // commit round, writers taking turns at the state database). Left there, that one-off compilation (1.1 to 1.4 s
        // of JIT in the measured window of 500 tenants) lands in the fleet figure, which is meant to be a running service's.
        var warmFleet = new List<WorkspaceStack>();
        for (var i = 0; i < WarmFleet; i++)
        {
            warmFleet.Add(await CreateAsync($"{prefix}x{i}"));
        }

        await InParallelAsync(warmFleet, stack => stack.UpAsync(new UpOptions { Program = program }));
        return side;
    }

    protected override Task RunAsync(int index) => _stacks[index].UpAsync(new UpOptions { Program = _program });

    /// <summary>
    /// Checks that the fleet did what the figure says: every tenant's folder committed (tenants finishing together
    /// share commits) and nothing left uncommitted; prints the commits on standard error.
    /// </summary>
    public async Task VerifyAsync()
    {
        var gitOps = _folder.GitOpsPath;
        var committed = (await Git("-C", gitOps, "ls-tree", "-d", "--name-only", "HEAD"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(name => name.StartsWith($"tenant-{_prefix}f", StringComparison.Ordinal));
        var commits = (await Git("-C", gitOps, "rev-list", "--count", "HEAD")).Trim();
        if (committed != Fleet || (await Git("-C", gitOps, "status", "--porcelain")).Trim().Length > 0)
        {
            throw new InvalidOperationException($"expected {Fleet} committed tenant folders and a clean tree, found {committed}; the benchmark is not measuring what it says");
        }

        await Console.Error.WriteLineAsync($"{Variant}: {Fleet} fleet tenants (+{Samples + 1} single, +{WarmFleet} warm-up) in {commits} commits");
    }

    public override async ValueTask DisposeAsync()
    {
        await _workspace.DisposeAsync();
        _folder.Dispose();
    }

    private static async Task<string> Git(params string[] arguments)
    {
        var (exitCode, output, error) = await RepositoryTools.RunAsync("git", RepositoryTools.Root, new Dictionary<string, string>(), arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"git failed: {error}");
    }
}
