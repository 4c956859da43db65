using System.Diagnostics;
using Infra.Tenants.Tests.Support;
using Infra.Tenancy;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

[Collection(PostgresCollection.Name)]
public class TenantRecoveryTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Refresh_shows_a_role_dropped_by_hand_and_up_restores_it()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var role = $"tenant_{id}";

        // What an operator must do to drop a role that owns a database: hand its objects over first.
        await Sql.ExecuteAsync(Server.ConnectionString(role), $"REASSIGN OWNED BY \"{role}\" TO postgres", $"DROP OWNED BY \"{role}\"");
        await Sql.ExecuteAsync(Server, $"REASSIGN OWNED BY \"{role}\" TO postgres", $"DROP OWNED BY \"{role}\"", $"DROP ROLE \"{role}\"");

        var refresh = await project.Cli.RunAsync("refresh", "--yes", "-s", stack);
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Contains($"postgres:index:Role {id}-role", refresh.Stdout, StringComparison.Ordinal);
        Assert.Contains("deleted outside infra", refresh.Stdout, StringComparison.Ordinal);

        var up = await project.UpAsync(stack);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.True(await Sql.RoleExistsAsync(Server, role));
        Assert.Equal(TenantConventions.OwnerRoleName(id), await Sql.ScalarAsync<string>(Server, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1", role));
        var outputs = await project.OutputsAsync(stack);
        Assert.Null(await Sql.TryConnectAsync(Server, role, role, outputs.GetProperty("databasePassword").GetString()));
        Assert.Equal(0, (await project.UpAsync(stack, "--expect-no-changes")).ExitCode);
    }

    [Fact]
    public async Task Refresh_shows_a_connection_limit_changed_by_hand_and_up_restores_it()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id, plan: "free");
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        await Sql.ExecuteAsync(Server, $"ALTER DATABASE \"tenant_{id}\" CONNECTION LIMIT 99");

        var refresh = await project.Cli.RunAsync("refresh", "--yes", "-s", stack);
        Assert.Contains($"postgres:index:Database {id}-database drifted: ", refresh.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);

        Assert.Equal(5, await Sql.ScalarAsync<int>(Server, "SELECT datconnlimit FROM pg_database WHERE datname = $1", $"tenant_{id}"));
    }

    [Fact]
    public async Task Up_converges_after_kill_during_tenant_up()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        var role = $"tenant_{id}";

        using var process = project.Cli.Start("up", "--yes", "-s", stack);
        var clock = Stopwatch.StartNew();
        while (!await Sql.RoleExistsAsync(Server, role) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(5);
        }

        Assert.False(process.HasExited, "the up finished before it could be killed; nothing was tested");
        process.Kill(entireProcessTree: true); // SIGKILL: no cleanup, no journal flush
        await process.WaitForExitAsync();

        var again = await project.UpAsync(stack);
        Assert.True(again.ExitCode == 0, again.ToString());
        var steady = await project.UpAsync(stack, "--expect-no-changes");
        Assert.True(steady.ExitCode == 0, steady.ToString());

        var outputs = await project.OutputsAsync(stack);
        Assert.Null(await Sql.TryConnectAsync(Server, role, role, outputs.GetProperty("databasePassword").GetString()));
        Assert.True(await Sql.ScalarAsync<bool>(Server.ConnectionString(role), "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'app')"));
    }
}
