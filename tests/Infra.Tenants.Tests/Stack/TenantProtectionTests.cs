using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

[Collection(PostgresCollection.Name)]
public class TenantProtectionTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Destroy_of_a_protected_plan_refuses_and_deletes_nothing_until_the_plan_changes()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id, plan: "enterprise");
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);

        var refused = await project.Cli.RunAsync("destroy", "--yes", "-s", stack);

        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"refused: \d+ resource\(s\) are protected .* --exclude-protected .* --verbose", line);
        Assert.DoesNotContain("urn:", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        Assert.True(await Sql.DatabaseExistsAsync(Server, $"tenant_{id}"));
        // Nothing around the protected database went either: its schema (dropped with CASCADE otherwise) and its grants stay.
        Assert.True(await Sql.ScalarAsync<bool>(Server.ConnectionString($"tenant_{id}"), "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'app')"));
        Assert.True(await Sql.ScalarAsync<bool>(Server,
            $"SELECT has_database_privilege('tenant_{id}', 'tenant_{id}', 'CONNECT') AND NOT has_database_privilege('public', 'tenant_{id}', 'CONNECT')"));

        var listed = await project.Cli.RunAsync("destroy", "--yes", "--verbose", "-s", stack);
        Assert.Equal(1, listed.ExitCode);
        var databaseUrn = Assert.Single(listed.Stderr.Split('\n'), l => l.StartsWith("kept: ", StringComparison.Ordinal) && l.EndsWith($"::{id}-database", StringComparison.Ordinal));
        Assert.Equal(1, (listed.Stdout + listed.Stderr).Split(databaseUrn["kept: ".Length..]).Length - 1);

        await project.ConfigAsync(stack, ("tenant:plan", "standard"));
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var destroyed = await project.Cli.RunAsync("destroy", "--yes", "-s", stack);

        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        Assert.False(await Sql.DatabaseExistsAsync(Server, $"tenant_{id}"));
        Assert.False(await Sql.RoleExistsAsync(Server, $"tenant_{id}"));
    }
}
