using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Tenants.Tests.Stack;

[Collection(PostgresCollection.Name)]
public class TenantInputValidationTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Bad_tenant_ids_and_plans_are_rejected_before_any_sql_runs()
    {
        // The stack's admin connection goes to a database of its own, so its session count tells whether anything connected.
        var guard = await Server.CreateDatabaseAsync("guard");
        var admin = new NpgsqlConnectionStringBuilder(Server.ConnectionString(guard)).ConnectionString;
        using var project = new TenantProject(Server, admin);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);

        await project.ForceConfigAsync(stack, ("tenant:id", "acme\"; DROP DATABASE postgres; --"));
        var badId = await project.UpAsync(stack);
        Assert.Equal(1, badId.ExitCode);
        Assert.Contains("config key 'tenant:id'", badId.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not a tenant id", badId.Stderr, StringComparison.Ordinal);
        Assert.Single(badId.Stderr.Trim().Split('\n'));

        await project.ForceConfigAsync(stack, ("tenant:id", id), ("tenant:plan", "gold"));
        var badPlan = await project.UpAsync(stack);
        Assert.Equal(1, badPlan.ExitCode);
        Assert.Contains("'gold' is not a plan; use one of enterprise, free, standard", badPlan.Stderr, StringComparison.Ordinal);
        Assert.Single(badPlan.Stderr.Trim().Split('\n'));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0L, await SessionsAsync(guard));
        Assert.Equal(0L, await DatabasesOfAsync(id));
        Assert.False(await Sql.RoleExistsAsync(Server, $"tenant_{id}"));

        // The same measures see the sessions and the database of a valid run, so the zeros above are not blind spots.
        await project.ConfigAsync(stack, ("tenant:plan", "free"));
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        Assert.True(await WaitForSessionsAsync(guard), "a valid up left no session in the guard database's statistics");
        Assert.Equal(1L, await DatabasesOfAsync(id));
    }

    [Fact]
    public async Task Bad_branding_is_rejected_with_one_line_naming_the_field()
    {
        using var project = new TenantProject(Server);
        var stack = await project.InitAsync(TenantProject.NewTenantId());
        await project.ForceConfigAsync(stack, ("tenant:branding", """{"primaryColor":"blue"}"""));

        var up = await project.UpAsync(stack);

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("config key 'tenant:branding': primaryColor: 'blue' is not a colour", up.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_strategy_that_is_none_is_rejected_with_one_line_naming_the_key()
    {
        using var project = new TenantProject(Server);
        var stack = await project.InitAsync(TenantProject.NewTenantId());
        await project.ForceConfigAsync(stack, ("tenant:releaseStrategy", "canary"));

        var up = await project.UpAsync(stack);

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("config key 'tenant:releaseStrategy': 'canary' is not a release strategy; use rolling or blueGreen.", up.Stderr, StringComparison.Ordinal);
        Assert.Single(up.Stderr.Trim().Split('\n'));
    }

    // Other test projects create and drop databases on the same server meanwhile, so only names this test's ids
    // could have produced are counted: the valid id's own, and any carrying the hostile id's payload.
    private Task<long> DatabasesOfAsync(string id) => Sql.ScalarAsync<long>(Server,
        "SELECT count(*) FROM pg_database WHERE datname = $1 OR datname LIKE '%DROP DATABASE%'", $"tenant_{id}");

    private Task<long> SessionsAsync(string database) =>
        Sql.ScalarAsync<long>(Server, "SELECT COALESCE((SELECT sessions FROM pg_stat_database WHERE datname = $1), 0)", database);

    private async Task<bool> WaitForSessionsAsync(string database)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await SessionsAsync(database) > 0)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
