using Infra.Automation;
using Infra.Hosting;
using Infra.Providers.Postgres;
using Infra.Stacks.Kinds.Tenant;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

[Collection(PostgresCollection.Name)]
public class TenantConcurrencyTests(PostgresFixture fixture)
{
    private const int Tenants = 20;

    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Twenty_tenants_provisioned_concurrently_in_one_process_all_succeed_without_exhausting_connections()
    {
        using var folder = new CliProject();
        var ids = Enumerable.Range(0, Tenants).Select(_ => TenantProject.NewTenantId()).ToList();
        var maxConnections = await Sql.ScalarAsync<string>(Server, "SHOW max_connections");
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, await Sql.ScalarAsync<long>(Server, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'infra%'"));
                await Task.Delay(25);
            }
        });

        await using (var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = folder.Directory,
            Passphrase = "concurrency",
            Providers = ProviderCatalog.All,
            StateBackends = StateBackendCatalog.All,
            Environment = new Dictionary<string, string?>(),
        }))
        {
            var program = StackProgram.FromStack<TenantStack>();
            var results = await Task.WhenAll(ids.Select(async id =>
            {
                var stack = await workspace.CreateStackAsync($"tenant-{id}");
                await stack.SetConfigAsync("infra:kind", "tenant");
                await stack.SetConfigAsync("tenant:id", id);
                await stack.SetConfigAsync("tenant:plan", "free");
                await stack.SetConfigAsync("postgres:connectionString", Server.ConnectionString(), secret: true);
                foreach (var (key, value) in TenantKubernetesConfig.Config)
                {
                    await stack.SetConfigAsync(key, value);
                }

                return await stack.UpAsync(new UpOptions { Program = program });
            }));

            Assert.All(results, static r => Assert.Equal(TenantStackShape.Resources, r.Summary[Deployment.StepOp.Create]));
        }

        await sampling.CancelAsync();
        await sampler;
        foreach (var id in ids)
        {
            Assert.True(await Sql.DatabaseExistsAsync(Server, $"tenant_{id}"));
        }

        // Every stack shares one bounded pool to the admin database and has a few connections of its own to its
        // tenant's database, well under the server's limit...
        Assert.InRange(peak, 1, (Tenants * PostgresProviderFactory.MaxPoolSize) + PostgresProviderFactory.MaxSharedAdminPoolSize);
        Assert.True(peak < long.Parse(maxConnections, System.Globalization.CultureInfo.InvariantCulture));
        // ...gives those back when its operation ends, not when an idle timeout fires...
        Assert.Equal(0L, await WaitForNoProviderConnectionsAsync());
        // ...and the shared pool never holds more than its bound.
        var shared = await Sql.ScalarAsync<long>(Server,
            $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{PostgresProviderFactory.SharedApplicationName}'");
        Assert.InRange(shared, 0, PostgresProviderFactory.MaxSharedAdminPoolSize);
    }

    private async Task<long> WaitForNoProviderConnectionsAsync()
    {
        long open = -1;
        for (var i = 0; i < 40 && open != 0; i++)
        {
            open = await Sql.ScalarAsync<long>(Server, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'infra %'");
            await Task.Delay(open == 0 ? 0 : 50);
        }

        return open;
    }
}
