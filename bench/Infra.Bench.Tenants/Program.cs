using System.Diagnostics;
using Infra;
using Infra.Automation;
using Infra.Bench.Tenants;
using Infra.Secrets;
using Infra.Stacks.Kinds.Tenant;
using Infra.TestSupport;
using Npgsql;

// Tenant provisioning benchmarks. Prints `name value unit` per line on stdout; the machine goes to stderr.
// A throwaway PostgreSQL 15 is started unless INFRA_TEST_POSTGRES_URL names one.
// Every figure is measured for two programs: `database.*` is the tenant stack's database part alone (the scope of
// the raw-SQL baseline, which runs the same statements by hand), `stack.*` the whole tenant stack (database, and the
// namespace, sealed credentials and release written to a local GitOps work tree).
// With the argument `database` or `stack`: only that program's figures. With `gitops`: only the GitOps rendering
// figures (GitOpsBenchmarks). With `platform`: rendering the whole platform stack and its no-change preview
// (PlatformBenchmarks), on a PostgreSQL of its own.
// With `dr [tenants]`: the recovery figures (DrBenchmarks). With `pitr [tenants]`: point-in-time recovery of a
// whole server with that many tenants (PitrBenchmarks), on a PostgreSQL of its own with archive_mode on.
const int Samples = 20;
const int Fleet = 50;
const int Parallel = 8;
const string Passphrase = BenchWorkspace.Passphrase;

await Console.Error.WriteLineAsync($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
if (args is ["platform"])
{
    await PlatformBenchmarks.RunAsync(TenantKubernetesConfig.Config);
    return;
}

if (args is ["pitr", ..])
{
    await PitrBenchmarks.RunAsync(BenchWorkspace.Open, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Fleet);
    return;
}

await using var server = await PostgresServer.StartAsync();
var admin = server.ConnectionString();
var kubernetes = TenantKubernetesConfig.Config;
if (args is ["gitops"])
{
    await GitOpsBenchmarks.RunAsync(admin, kubernetes);
    return;
}

using var folder = new CliProject();

Workspace Open() => BenchWorkspace.Open(folder.Directory);

// As the onboarding service does: every tenant stack starts from a template holding the shared settings (kind,
// default plan, the admin connection as a secret), so they share its key and a process derives it once.
const string Template = "tenant-template";
await using (var setup = Open())
{
    var template = await setup.CreateStackAsync(Template);
    await template.SetConfigAsync("infra:kind", "tenant");
    await template.SetConfigAsync("tenant:plan", "standard");
    await template.SetConfigAsync("postgres:connectionString", admin, secret: true);
    foreach (var (key, value) in kubernetes)
    {
        await template.SetConfigAsync(key, value);
    }
}

async Task<WorkspaceStack> CreateTenantStackAsync(Workspace workspace, string id)
{
    var stack = await workspace.CreateStackAsync($"tenant-{id}", new StackInitOptions { CopyConfigFrom = Template });
    await stack.SetConfigAsync("tenant:id", id);
    return stack;
}

if (args is ["dr", ..])
{
    await DrBenchmarks.RunAsync(Open, CreateTenantStackAsync, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Fleet);
    return;
}

// Key derivation: once per stack when it is created, once per stack and process when it is opened.
var derive = Stopwatch.StartNew();
new PassphraseSecretsProvider(() => Passphrase).InitializeStack();
Figures.Print("secrets.pbkdf2_600k", derive.Elapsed.TotalMilliseconds, "ms");

var baseline = await RawSqlAsync();
if (args is [] or ["database"])
{
    await MeasureAsync("database", TenantDatabaseOnly.Program);
}

if (args is [] or ["stack"])
{
    await MeasureAsync("stack", StackProgram.FromStack<TenantStack>());
}

// The baseline: the same SQL by hand, on one open connection, and again paying for the admin connection as every
// up does (its provider's pool lives for one operation).
async Task<double> RawSqlAsync()
{
    var run = Guid.NewGuid().ToString("N")[..6];
    var raw = new List<double>();
    await using (var connection = new NpgsqlConnection(admin))
    {
        await connection.OpenAsync();
        await RawSqlBaseline.ProvisionAsync(connection, admin, $"rw{run}", 20);
        for (var i = 0; i < Samples; i++)
        {
            var clock = Stopwatch.StartNew();
            await RawSqlBaseline.ProvisionAsync(connection, admin, $"r{run}-{i}", 20);
            raw.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    var rawConnect = new List<double>();
    for (var i = 0; i < Samples; i++)
    {
        var clock = Stopwatch.StartNew();
        await using var source = RawSqlBaseline.Open(admin);
        await using var connection = await source.OpenConnectionAsync();
        await RawSqlBaseline.ProvisionAsync(connection, admin, $"rc{run}-{i}", 20);
        rawConnect.Add(clock.Elapsed.TotalMilliseconds);
    }

    Figures.Print("rawsql.tenant.p50", Figures.Percentile(raw, 50), "ms");
    Figures.Print("rawsql.tenant.p95", Figures.Percentile(raw, 95), "ms");
    Figures.Print("rawsql_with_connect.tenant.p50", Figures.Percentile(rawConnect, 50), "ms");
    return Figures.Percentile(raw, 50);
}

async Task MeasureAsync(string scope, StackProgram program)
{
    var run = Guid.NewGuid().ToString("N")[..6];
    string Id(string group, int i) => $"{group}{run}-{i}";
    await using (var workspace = Open())
    {
        // Warm up the JIT and the server's caches on one tenant that is not counted.
        await (await CreateTenantStackAsync(workspace, Id("w", 0))).UpAsync(new UpOptions { Program = program });

        var ups = new List<double>();
        var creates = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var clock = Stopwatch.StartNew();
            var stack = await CreateTenantStackAsync(workspace, Id("s", i));
            creates.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await stack.UpAsync(new UpOptions { Program = program });
            ups.Add(clock.Elapsed.TotalMilliseconds);
        }

        Figures.Print($"{scope}.tenant.up.p50", Figures.Percentile(ups, 50), "ms");
        Figures.Print($"{scope}.tenant.up.p95", Figures.Percentile(ups, 95), "ms");
        Figures.Print($"{scope}.tenant.up_over_rawsql.p50", Figures.Percentile(ups, 50) / baseline, "x");
        Figures.Print($"{scope}.tenant.stack_init_and_config.p50", Figures.Percentile(creates, 50), "ms");

        var sequential = Stopwatch.StartNew();
        for (var i = 0; i < Fleet; i++)
        {
            await (await CreateTenantStackAsync(workspace, Id("q", i))).UpAsync(new UpOptions { Program = program });
        }

        Figures.Print($"{scope}.tenants50.sequential", sequential.Elapsed.TotalSeconds, "s");

        using var slots = new SemaphoreSlim(Parallel);
        async Task InParallelAsync(IEnumerable<Func<Task>> work) => await Task.WhenAll(work.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                await item();
            }
            finally
            {
                slots.Release();
            }
        }));

        var parallel = Stopwatch.StartNew();
        await InParallelAsync(Enumerable.Range(0, Fleet).Select(i => (Func<Task>)(async () =>
            await (await CreateTenantStackAsync(workspace, Id("p", i))).UpAsync(new UpOptions { Program = program }))));
        Figures.Print($"{scope}.tenants50.parallel8", parallel.Elapsed.TotalSeconds, "s");

        // Only the ups, 8 at a time, of 50 stacks created and configured beforehand.
        var ready = new List<WorkspaceStack>();
        for (var i = 0; i < Fleet; i++)
        {
            ready.Add(await CreateTenantStackAsync(workspace, Id("u", i)));
        }

        var upsOnly = Stopwatch.StartNew();
        await InParallelAsync(ready.Select(stack => (Func<Task>)(() => stack.UpAsync(new UpOptions { Program = program }))));
        Figures.Print($"{scope}.tenants50.parallel8.up_only", upsOnly.Elapsed.TotalSeconds, "s");
    }

    // The no-change preview of the 50 parallel stacks, 8 at a time: in a fresh workspace (as a new process would,
    // deriving the shared key once), then again in the same workspace.
    async Task<double> PreviewAllAsync(Workspace workspace, bool refresh)
    {
        using var slots = new SemaphoreSlim(Parallel);
        var clock = Stopwatch.StartNew();
        var changes = await Task.WhenAll(Enumerable.Range(0, Fleet).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                var stack = await workspace.SelectStackAsync($"tenant-{Id("p", i)}");
                if (refresh)
                {
                    return (await stack.RefreshAsync(new RefreshOptions { Program = program })).Steps.Count(static s => s.Reason is not null);
                }

                return (await stack.PreviewAsync(new PreviewOptions { Program = program })).Summary.Changes;
            }
            finally
            {
                slots.Release();
            }
        }));
        if (changes.Any(static c => c != 0))
        {
            throw new InvalidOperationException("a no-change preview or refresh found changes; the benchmark is not measuring what it says");
        }

        return clock.Elapsed.TotalSeconds;
    }

    await using var cold = Open();
    Figures.Print($"{scope}.preview50.nochange.cold_workspace", await PreviewAllAsync(cold, refresh: false), "s");
    Figures.Print($"{scope}.preview50.nochange.warm_workspace", await PreviewAllAsync(cold, refresh: false), "s");
    Figures.Print($"{scope}.refresh50.warm_workspace", await PreviewAllAsync(cold, refresh: true), "s");
}
