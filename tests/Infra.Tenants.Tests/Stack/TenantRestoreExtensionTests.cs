using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

/// <summary>
/// A copy restored under a new name (<c>tenant restore --to</c>) has the extensions the tenant's database had, made by
/// the tenant's owner role (never by running the dump's CREATE EXTENSION as the admin); one only a superuser may
/// create refuses the restore before anything exists (issue 8 §1).
/// </summary>
[Collection(PostgresCollection.Name)]
public class TenantRestoreExtensionTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task A_copy_restored_under_a_new_name_has_the_tenants_extensions_created_by_its_owner_role()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var database = Server.ConnectionString($"tenant_{id}");
        // The operator installed two extensions for this tenant; its table uses both.
        await Sql.ExecuteAsync(database, "CREATE EXTENSION citext", "CREATE EXTENSION pgcrypto SCHEMA app");
        await Sql.ExecuteAsync(database, $"SET ROLE \"tenant_{id}\"",
            "CREATE TABLE app.people(email public.citext PRIMARY KEY, token bytea DEFAULT app.digest('seed', 'sha256'))",
            "INSERT INTO app.people(email) VALUES ('Ann@Example.com')");
        var dump = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stack)).Stdout.TrimEnd().Split('\n')[^1];
        var copy = $"tenant_{id}_copy";

        var restore = await project.Cli.RunAsync("tenant", "restore", "-s", stack, "--from", dump, "--to", copy);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        var restored = Server.ConnectionString(copy);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(restored, "SELECT count(*) FROM app.people WHERE email = 'ann@example.com' AND token IS NOT NULL"));
        var owner = $"tenant_{id}_owner";
        Assert.Equal($"citext public {owner}, pgcrypto app {owner}", await Sql.ScalarAsync<string>(restored,
            "SELECT string_agg(e.extname || ' ' || n.nspname || ' ' || pg_get_userbyid(e.extowner), ', ' ORDER BY e.extname) " +
            "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'"));
        // The owner role could create in the tenant's schema only while it made the extension.
        Assert.False(await Sql.ScalarAsync<bool>(restored, "SELECT has_schema_privilege($1, 'app', 'CREATE')", owner));
    }

    [Fact]
    public async Task A_backup_using_an_extension_only_a_superuser_may_create_is_refused_before_the_copy_exists()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{id}"), "CREATE EXTENSION file_fdw", "CREATE TABLE app.t(v int)", "INSERT INTO app.t VALUES (1)");
        var dump = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stack)).Stdout.TrimEnd().Split('\n')[^1];
        var copy = $"tenant_{id}_copy";

        var restore = await project.Cli.RunAsync("tenant", "restore", "-s", stack, "--from", dump, "--to", copy);

        Assert.Equal(1, restore.ExitCode);
        var line = Assert.Single(restore.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'file_fdw'", line, StringComparison.Ordinal);
        Assert.Contains("nothing was restored", line, StringComparison.Ordinal);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(Server, "SELECT count(*) FROM pg_database WHERE datname = $1", copy));
    }
}
