using System.Text.Json;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

/// <summary>
/// A tenant's destroy finishes, restored copies included, or stops before its first delete naming what blocks it
/// (issue 14 §1): a copy made by <c>tenant restore --to</c> is recorded in the stack's state as an artifact, which
/// <c>up</c> leaves alone and destroy drops first; one the state does not know (made by an older version) stops the
/// destroy with nothing dropped.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TenantDestroyTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task A_destroy_after_restoring_a_copy_drops_the_copy_first_and_leaves_no_database_or_role_of_the_tenant()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{id}"), $"SET ROLE \"tenant_{id}\"",
            "CREATE TABLE app.orders(id int PRIMARY KEY)", "INSERT INTO app.orders SELECT generate_series(1, 3)");
        var dump = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stack)).Stdout.TrimEnd().Split('\n')[^1];
        var copy = $"tenant_{id}_copy";
        await project.Cli.RunOkAsync("tenant", "restore", "-s", stack, "--from", dump, "--to", copy);

        // The copy belongs to the owner role, which cannot log in; the tenant keeps only what it has in its own database.
        Assert.Equal($"tenant_{id}_owner", await Sql.ScalarAsync<string>(Server, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1", copy));
        Assert.Equal(3L, await Sql.ScalarAsync<long>(Server.ConnectionString(copy), "SELECT count(*) FROM app.orders"));
        var artifact = await RestoredCopyInStateAsync(project, stack, copy);
        Assert.Equal("tenant restore", artifact.GetProperty("artifact").GetString());
        Assert.Equal($"tenant_{id}_owner", artifact.GetProperty("outputs").GetProperty("owner").GetString());
        Assert.EndsWith(Path.GetFileName(dump), artifact.GetProperty("outputs").GetProperty("restoredFrom").GetString(), StringComparison.Ordinal);
        Assert.True(artifact.GetProperty("outputs").TryGetProperty("backupCreated", out _));

        // The program does not declare the copy, and up leaves it alone.
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        Assert.True(await Sql.DatabaseExistsAsync(Server, copy));

        var destroyed = await project.Cli.RunAsync("destroy", "--yes", "-s", stack);

        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(Server, "SELECT count(*) FROM pg_database WHERE datname LIKE $1", $"tenant_{id}%"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(Server, "SELECT count(*) FROM pg_roles WHERE rolname LIKE $1", $"tenant_{id}%"));
    }

    [Fact]
    public async Task A_copy_the_state_does_not_know_stops_destroy_before_its_first_delete_naming_the_database_its_owner_and_the_kind()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        // What an older 'tenant restore --to' left: a copy owned by the owner role, its schema and table the tenant's, and no record in state.
        var (role, owner, copy) = ($"tenant_{id}", $"tenant_{id}_owner", $"tenant_{id}_old_copy");
        await Sql.ExecuteAsync(Server, $"CREATE DATABASE \"{copy}\" OWNER \"{owner}\"", $"GRANT CONNECT ON DATABASE \"{copy}\" TO \"{role}\"");
        await Sql.ExecuteAsync(Server.ConnectionString(copy), $"CREATE SCHEMA app AUTHORIZATION \"{role}\"", $"SET ROLE \"{role}\"", "CREATE TABLE app.t(v int)");
        var before = await project.Cli.RunOkAsync("stack", "export", "-s", stack);

        var blocked = await project.Cli.RunAsync("destroy", "--yes", "-s", stack);

        Assert.Equal(1, blocked.ExitCode);
        var line = Assert.Single(blocked.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"role '{role}' has objects in databases this destroy does not drop (database '{copy}' (owner '{owner}'): " +
            "privileges on 1 database, owner of 1 schema, owner of 1 table)", line, StringComparison.Ordinal);
        Assert.Contains($"role '{owner}' has objects in databases this destroy does not drop (database '{copy}' (owner '{owner}'): owner of 1 database)", line, StringComparison.Ordinal);
        Assert.Contains("nothing was deleted", line, StringComparison.Ordinal);
        // Nothing was dropped: the tenant's database, schema and roles are there, and its state is as it was.
        Assert.Equal(1L, await Sql.ScalarAsync<long>(Server.ConnectionString($"tenant_{id}"), "SELECT count(*) FROM pg_namespace WHERE nspname = 'app'"));
        Assert.True(await Sql.RoleExistsAsync(Server, role));
        Assert.True(await Sql.RoleExistsAsync(Server, owner));
        Assert.Equal(Resources(before.Stdout), Resources((await project.Cli.RunOkAsync("stack", "export", "-s", stack)).Stdout));

        // What the message names is what has to go; then destroy finishes.
        await Sql.ExecuteAsync(Server, $"DROP DATABASE \"{copy}\" WITH (FORCE)");
        var destroyed = await project.Cli.RunAsync("destroy", "--yes", "-s", stack);

        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        Assert.False(await Sql.RoleExistsAsync(Server, role));
    }

    private static async Task<JsonElement> RestoredCopyInStateAsync(TenantProject project, string stack, string copy)
    {
        using var state = JsonDocument.Parse((await project.Cli.RunOkAsync("stack", "export", "-s", stack)).Stdout);
        return state.RootElement.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("urn").GetString()!.EndsWith($"::restored-{copy}", StringComparison.Ordinal)).Clone();
    }

    private static string[] Resources(string export)
    {
        using var state = JsonDocument.Parse(export);
        return [.. state.RootElement.GetProperty("resources").EnumerateArray().Select(static r => r.GetProperty("urn").GetString()!).Order(StringComparer.Ordinal)];
    }
}
