using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// A tenant's role tries every other database on its server: the maintenance databases, the platform's state
/// database and another tenant's. The server-wide part (CONNECT revoked from PUBLIC on the shared databases) is the
/// platform stack's; a tenant stack's preview warns while the server lacks it.
/// </summary>
public class OtherDatabaseAttackTests(OwnPostgresFixture fixture) : IClassFixture<OwnPostgresFixture>
{
    private const string StateDatabase = "infra_state";

    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Tenant_role_cannot_connect_to_postgres_template1_the_state_database_or_another_tenant()
    {
        using var project = new TenantProject(Server);
        await UpPlatformAsync(project);
        var (a, b) = (await UpTenantAsync(project), await UpTenantAsync(project));
        var tenant = await TenantSession.OfAsync(project, a);
        var other = await TenantSession.OfAsync(project, b);

        Assert.Null(await Sql.TryConnectAsync(Server, tenant.Database, tenant.Role, tenant.Password));
        foreach (var database in new[] { "postgres", "template1", StateDatabase, other.Database })
        {
            Assert.Equal("42501", await Sql.TryConnectAsync(Server, database, tenant.Role, tenant.Password));
        }
    }

    [Fact]
    public async Task Tenant_preview_warns_while_every_role_may_connect_to_the_servers_shared_databases()
    {
        // A server as initdb leaves it: every role may connect to postgres and template1.
        await Sql.ExecuteAsync(Server, "GRANT CONNECT ON DATABASE postgres TO PUBLIC", "GRANT CONNECT ON DATABASE template1 TO PUBLIC");
        using var project = new TenantProject(Server);
        var stack = await project.InitAsync(TenantProject.NewTenantId());

        var open = await project.Cli.RunOkAsync("preview", "-s", stack);
        await UpPlatformAsync(project);
        var closed = await project.Cli.RunOkAsync("preview", "-s", stack);

        var warning = Assert.Single(open.Stdout.Split('\n'), static l => l.Contains("warning:", StringComparison.Ordinal));
        Assert.Contains("postgres", warning, StringComparison.Ordinal);
        Assert.Contains("template1", warning, StringComparison.Ordinal);
        Assert.Contains("platform stack", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", closed.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Brings up the platform stack on this server, with a state database beside the tenants' (as a team running the
    /// PostgreSQL state backend on that server has): it closes postgres, template1 and the state database to PUBLIC.
    /// </summary>
    private async Task UpPlatformAsync(TenantProject project)
    {
        if (!await Sql.DatabaseExistsAsync(Server, StateDatabase))
        {
            await Sql.ExecuteAsync(Server, $"CREATE DATABASE {StateDatabase}");
        }

        await project.Cli.RunOkAsync("stack", "init", "platform");
        await project.ConfigAsync("platform", ("infra:kind", "platform"), ("platform:stateDatabase", StateDatabase));
        await project.Cli.RunOkAsync("config", "set", "--secret", "postgres:connectionString", project.AdminConnectionString, "-s", "platform");
        await project.Cli.RunOkAsync("up", "--yes", "-s", "platform");
    }

    private static async Task<string> UpTenantAsync(TenantProject project)
    {
        var stack = await project.InitAsync(TenantProject.NewTenantId());
        var up = await project.UpAsync(stack);
        Assert.True(up.ExitCode == 0, up.ToString());
        return stack;
    }
}
