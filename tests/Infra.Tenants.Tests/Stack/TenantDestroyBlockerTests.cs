using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

/// <summary>A role that destroy cannot drop is reported with what depends on it, by database and kind (issue 14 §1).</summary>
[Collection(PostgresCollection.Name)]
public class TenantDestroyBlockerTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task A_role_held_by_a_restored_copy_is_reported_naming_the_database_the_dependency_and_the_kind()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{id}"), $"SET ROLE \"tenant_{id}\"", "CREATE TABLE app.t(v int)");
        var dump = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stack)).Stdout.TrimEnd().Split('\n')[^1];
        var copy = $"tenant_{id}_copy";
        await project.Cli.RunOkAsync("tenant", "restore", "-s", stack, "--from", dump, "--to", copy);

        var blocked = await project.Cli.RunAsync("destroy", "--yes", "-s", stack);

        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains($"role 'tenant_{id}' cannot be dropped", blocked.Stderr, StringComparison.Ordinal);
        Assert.True(blocked.Stderr.Contains($"(database '{copy}': privileges on 1 database, owner of 1 schema, owner of 1 table)", StringComparison.Ordinal), blocked.Stderr);
        Assert.True(blocked.Stderr.Contains($"role 'tenant_{id}_owner' cannot be dropped: objects depend on it (database '{copy}': owner of 1 database)", StringComparison.Ordinal), blocked.Stderr);
        Assert.True(await Sql.RoleExistsAsync(Server, $"tenant_{id}"));

        // What the message names is what has to go; then destroy finishes.
        await Sql.ExecuteAsync(Server, $"DROP DATABASE \"{copy}\" WITH (FORCE)");
        var destroyed = await project.Cli.RunAsync("destroy", "--yes", "-s", stack);

        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        Assert.False(await Sql.RoleExistsAsync(Server, $"tenant_{id}"));
    }
}
