using System.Diagnostics;
using System.Text.Json;
using Infra.Automation;
using Infra.Hosting;
using Infra.Providers.Helm.Rendering;
using Infra.Stacks.Kinds.Tenant;
using Infra.TestSupport;

namespace Infra.Bench.Tenants;

/// <summary>
/// How long rendering tenants' GitOps folders takes: one tenant (the median of several) and 500 tenants 8 at a time,
/// each an <c>up</c> that writes the tenant's folder and commits it. With the database: the whole tenant stack.
/// Without: only its Kubernetes part (namespace, sealed credentials, release), declared by the same
/// <see cref="TenantApplication"/> against a fixed database endpoint. The baseline is the real <c>helm template</c>
/// of the platform chart once per tenant, with the same values, at the same parallelism.
/// </summary>
internal static class GitOpsBenchmarks
{
    private const int Samples = 10;
    private const int DefaultFleet = 500;
    private const int Parallel = 8;
    // Eight ups per slot before the fleet: fewer left 700 of the fleet's methods (about 0.5 s of JIT per 100 tenants)
    // to be recompiled inside it; with these, 136 methods in 0.07 s.
    private const int WarmFleet = 8 * Parallel;
    private const string Passphrase = "benchmark passphrase";

    /// <summary>The Kubernetes part alone, as the tenant stack declares it, for a database at a fixed address.</summary>
    private static readonly StackProgram s_kubernetesOnly = StackProgram.FromDelegate(context =>
    {
        var tenant = TenantSettings.Read(context, requireDatabase: false);
        var name = $"tenant_{tenant.Id}";
        var password = Output.CreateSecret($"bench-password-{tenant.Id}");
        TenantApplication.Declare(tenant, new DatabaseEndpoint(
            Output.Create("10.20.0.15"), Output.Create(5432), Output.Create(name), Output.Create(name), password,
            password.Apply(p => $"postgresql://{name}:{p}@10.20.0.15:5432/{name}")));
    });

    public static async Task RunAsync(string admin, (string Key, string Value)[] kubernetes)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        await RenderAsync("with_database", StackProgram.FromStack<TenantStack>(), admin, kubernetes, $"d{run}", DefaultFleet);
        await RenderAsync("without_database", s_kubernetesOnly, admin: null, kubernetes, $"k{run}", DefaultFleet);
        await HelmTemplateAsync($"h{run}", DefaultFleet, new Dictionary<string, string>(), label: string.Empty);
    }

    /// <summary>
    /// The Kubernetes part of <paramref name="fleet"/> tenants rendered into one GitOps tree, against <c>helm template</c>
    /// for the same tenants, both 8 at a time; prints both fleet figures and returns their ratio. It also prints the
    /// ratio against <c>helm template</c> run with the garbage-collector setting the helm provider gives helm
    /// (<see cref="HelmBinary.GarbageCollection"/>): the baseline is plain <c>helm template</c>, and that second ratio
    /// shows how much of the render's lead comes from tuning helm rather than from our own overhead.
    /// </summary>
    public static async Task<double> RenderRatioAsync((string Key, string Value)[] kubernetes, int fleet)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var render = await RenderAsync("without_database", s_kubernetesOnly, admin: null, kubernetes, $"k{run}", fleet);
        var helm = await HelmTemplateAsync($"h{run}", fleet, new Dictionary<string, string>(), label: string.Empty);
        var tuned = await HelmTemplateAsync($"g{run}", fleet, HelmBinary.GarbageCollection, label: ".same_gc");
        Figures.Print($"gitops.tenants{fleet}.render_over_helm_template_same_gc", render / tuned, "x");
        return render / helm;
    }

    private static async Task<double> RenderAsync(string variant, StackProgram program, string? admin, (string Key, string Value)[] kubernetes, string prefix, int fleet)
    {
        using var folder = new CliProject();
        await using var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = folder.Directory,
            Passphrase = Passphrase,
            Providers = ProviderCatalog.All,
            StateBackends = StateBackendCatalog.All,
            Environment = new Dictionary<string, string?>(),
        });

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
        var stacks = new List<WorkspaceStack>();
        for (var i = 0; i < fleet; i++)
        {
            stacks.Add(await CreateAsync($"{prefix}f{i}"));
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
        var cpu = ProcessCpu.Now();
        var all = Stopwatch.StartNew();
        await InParallelAsync(stacks, stack => stack.UpAsync(new UpOptions { Program = program }));
        var seconds = all.Elapsed.TotalSeconds;
        Figures.Print($"gitops.tenants{fleet}.{variant}.parallel{Parallel}", seconds, "s");
        await Console.Error.WriteLineAsync($"{variant}: {fleet} fleet tenants, {ProcessCpu.Now().Since(cpu, TimeSpan.FromSeconds(seconds))} (children: helm and git)");

        // Tenants finishing together share commits (group commit), so the check is that every folder is committed.
        var committed = (await RunOkAsync("git", "-C", folder.GitOpsPath, "ls-tree", "-d", "--name-only", "HEAD"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(name => name.StartsWith($"tenant-{prefix}f", StringComparison.Ordinal));
        var commits = (await RunOkAsync("git", "-C", folder.GitOpsPath, "rev-list", "--count", "HEAD")).Trim();
        if (committed != fleet || (await RunOkAsync("git", "-C", folder.GitOpsPath, "status", "--porcelain")).Trim().Length > 0)
        {
            throw new InvalidOperationException($"expected {fleet} committed tenant folders and a clean tree, found {committed}; the benchmark is not measuring what it says");
        }

        await Console.Error.WriteLineAsync($"{variant}: {fleet} fleet tenants (+{Samples + 1} single, +{WarmFleet} warm-up) in {commits} commits");
        return seconds;
    }

    /// <summary>Runs <paramref name="work"/> for every item, <see cref="Parallel"/> at a time.</summary>
    private static async Task InParallelAsync<T>(IEnumerable<T> items, Func<T, Task> work)
    {
        using var slots = new SemaphoreSlim(Parallel);
        await Task.WhenAll(items.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                await work(item);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    private static Task<string> RunOkAsync(string file, params string[] arguments) =>
        RunOkAsync(file, new Dictionary<string, string>(), arguments);

    private static async Task<string> RunOkAsync(string file, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exitCode, output, error) = await RepositoryTools.RunAsync(file, RepositoryTools.Root, environment, arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{file} failed: {error}");
    }

    /// <summary>Plain <c>helm template</c> per tenant, with <paramref name="environment"/>; figures end in <paramref name="label"/>.</summary>
    private static async Task<double> HelmTemplateAsync(string prefix, int fleet, IReadOnlyDictionary<string, string> environment, string label)
    {
        var chart = Path.Combine(RepositoryPaths.Root, TenantApplication.Chart);
        var work = Directory.CreateTempSubdirectory("infra-bench-helm-");
        try
        {
            Task TemplateAsync(string id)
            {
                var values = Path.Combine(work.FullName, $"{id}.json");
                File.WriteAllText(values, JsonSerializer.Serialize(Values(id)));
                return RunOkAsync(RepositoryTools.Helm, environment, "template", TenantApplication.ReleaseName, chart,
                    "--namespace", $"tenant-{id}", "--kube-version", "1.34.0", "--include-crds", "--skip-tests", "-f", values);
            }

            await TemplateAsync($"{prefix}w");
            var samples = new List<double>();
            for (var i = 0; i < Samples; i++)
            {
                var clock = Stopwatch.StartNew();
                await TemplateAsync($"{prefix}s{i}");
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }

            Figures.Print($"helm_template{label}.tenant.p50", Figures.Percentile(samples, 50), "ms");
            // The same parallel warm-up as the render's, so that neither side is measured colder than the other.
            await InParallelAsync(Enumerable.Range(0, WarmFleet), i => TemplateAsync($"{prefix}x{i}"));
            var cpu = ProcessCpu.Now();
            var all = Stopwatch.StartNew();
            await InParallelAsync(Enumerable.Range(0, fleet), i => TemplateAsync($"{prefix}f{i}"));
            var wall = all.Elapsed;
            Figures.Print($"helm_template{label}.tenants{fleet}.parallel{Parallel}", wall.TotalSeconds, "s");
            await Console.Error.WriteLineAsync($"helm template{label}: {fleet} tenants, {ProcessCpu.Now().Since(cpu, wall)} (children: helm)");
            return all.Elapsed.TotalSeconds;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The values the tenant stack gives the chart for a standard tenant, as plain JSON.</summary>
    private static Dictionary<string, object> Values(string id) => new()
    {
        ["tenant"] = new Dictionary<string, object> { ["id"] = id, ["displayName"] = id },
        ["featureFlags"] = new Dictionary<string, object> { ["apiAccess"] = true, ["auditLog"] = true, ["customDomain"] = true, ["sso"] = true },
        ["customDomain"] = string.Empty,
        ["database"] = new Dictionary<string, object> { ["existingSecret"] = TenantApplication.DatabaseSecret },
        ["serviceAccount"] = new Dictionary<string, object> { ["create"] = false, ["name"] = "tenant-app" },
        ["priorityClassName"] = "tenant-standard",
        ["replicaCount"] = 2,
        ["resources"] = new Dictionary<string, object>
        {
            ["requests"] = new Dictionary<string, object> { ["cpu"] = "250m", ["memory"] = "256Mi" },
            ["limits"] = new Dictionary<string, object> { ["cpu"] = "1", ["memory"] = "1Gi" },
        },
    };
}
