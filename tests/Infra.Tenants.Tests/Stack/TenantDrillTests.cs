using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

/// <summary><c>infra dr drill --tenants</c> with the real pg_dump and pg_restore against a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public class TenantDrillTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Drill_restores_each_backed_up_tenant_into_a_scratch_database_that_matches_live_then_drops_it_and_skips_the_others()
    {
        using var project = new TenantProject(Server);
        var (backedUp, unbacked, never) = (TenantProject.NewTenantId(), TenantProject.NewTenantId(), TenantProject.NewTenantId());
        foreach (var id in new[] { backedUp, unbacked })
        {
            Assert.Equal(0, (await project.UpAsync(await project.InitAsync(id))).ExitCode);
        }

        await project.InitAsync(never);
        var live = Server.ConnectionString($"tenant_{backedUp}");
        await Sql.ExecuteAsync(live, $"SET ROLE \"tenant_{backedUp}\"", "CREATE TABLE app.orders(id int PRIMARY KEY, item text)",
            "INSERT INTO app.orders SELECT g, 'item ' || g FROM generate_series(1, 120) g", "CREATE TABLE app.notes(body text)", "INSERT INTO app.notes VALUES ('a'), ('b')");
        await project.Cli.RunOkAsync("tenant", "backup", "-s", $"tenant-{backedUp}");

        var drill = await project.Cli.RunAsync("dr", "drill", "--tenants");

        Assert.True(drill.ExitCode == 0, drill.ToString());
        Assert.Matches($@"tenant-{backedUp}: ok, RTO \d+\.\d\d s: 2 table\(s\), 122 row\(s\) match live", drill.Stdout);
        Assert.Contains($"tenant-{unbacked}: skipped: it has no backup in", drill.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tenant-{never}: skipped: it has no live database", drill.Stdout, StringComparison.Ordinal);
        Assert.Contains("Drilled 1 of 3 tenant stack(s): 1 ok, 0 failed or differing, 2 skipped", drill.Stdout, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(Server, "SELECT count(*) FROM pg_database WHERE datname LIKE $1", $"drill_{backedUp}%"));

        // Live moves on after the backup: the drill reports the table that differs and exits 1.
        await Sql.ExecuteAsync(live, "INSERT INTO app.orders VALUES (121, 'late')", "UPDATE app.notes SET body = 'changed' WHERE body = 'a'");
        var differs = await project.Cli.RunAsync("dr", "drill", "--tenants");

        Assert.Equal(1, differs.ExitCode);
        Assert.Contains("app.orders has 120 row(s) in the backup, 121 live", differs.Stdout, StringComparison.Ordinal);
        Assert.Contains("app.notes has the same 2 row(s) but other contents", differs.Stdout, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(Server, "SELECT count(*) FROM pg_database WHERE datname LIKE $1", $"drill_{backedUp}%"));
    }
}
