using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// A tenant arms its own database so that restoring a backup of it runs its code: a CHECK constraint calls a function
/// that, while the rows load, tries to make the tenant's role a superuser and to copy another tenant's secrets in
/// through <c>COPY ... FROM PROGRAM psql</c>. Run as the admin, both would succeed; restore runs as the tenant.
/// </summary>
[Collection(PostgresCollection.Name)]
public class RestoreAttackTests(PostgresFixture fixture)
{
    private const string RestoreApplication = "infra tenant pg_restore";

    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task A_dump_that_runs_code_while_it_loads_gets_only_the_tenants_rights_in_place_and_into_a_new_database()
    {
        using var project = new TenantProject(Server);
        var (a, b) = (TenantProject.NewTenantId(), TenantProject.NewTenantId());
        var stacks = await project.UpTenantsAsync(a, b);
        var (stackA, stackB) = (stacks[0], stacks[1]);
        var victim = await TenantSession.OfAsync(project, stackB);
        await victim.ExecuteAsync("CREATE TABLE app.secrets(secret text)", $"INSERT INTO app.secrets VALUES ('secret-of-{b}')");
        var attacker = await TenantSession.OfAsync(project, stackA);
        await attacker.ExecuteAsync(ArmedObjects(attacker.Role, victim.Database, Server.Port));
        var dump = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stackA)).Stdout.TrimEnd().Split('\n')[^1];
        await attacker.ExecuteAsync("DELETE FROM app.orders");

        var inPlace = await project.Cli.RunAsync("tenant", "restore", "-s", stackA, "--from", dump);
        var copy = $"tenant_{a}_copy";
        var intoCopy = await project.Cli.RunAsync("tenant", "restore", "-s", stackA, "--from", dump, "--to", copy);

        Assert.True(inPlace.ExitCode == 0, inPlace.ToString());
        Assert.True(intoCopy.ExitCode == 0, intoCopy.ToString());
        Assert.False(await attacker.IsSuperuserAsync());
        foreach (var database in new[] { attacker.Database, copy })
        {
            var connection = Server.ConnectionString(database);
            Assert.Equal(3L, await Sql.ScalarAsync<long>(connection, "SELECT count(*) FROM app.orders"));
            // The armed function really ran during the restore, and as the tenant: the attack was tried, not skipped.
            Assert.Equal(6L, await Sql.ScalarAsync<long>(connection, "SELECT count(*) FROM app.attempts WHERE application = $1", RestoreApplication));
            Assert.Equal(0L, await Sql.ScalarAsync<long>(connection,
                "SELECT count(*) FROM app.attempts WHERE application = $1 AND (acting <> $2 OR session_role <> $2 OR outcome = 'done')", RestoreApplication, attacker.Role));
            Assert.Equal(0L, await Sql.ScalarAsync<long>(connection, "SELECT count(*) FROM app.loot"));
        }

        Assert.Equal($"tenant_{a}_owner", await Sql.ScalarAsync<string>(Server, "SELECT pg_catalog.pg_get_userbyid(datdba)::text FROM pg_catalog.pg_database WHERE datname = $1", copy));
        Assert.Equal(attacker.Role, await Sql.ScalarAsync<string>(Server.ConnectionString(copy), "SELECT tableowner::text FROM pg_catalog.pg_tables WHERE tablename = 'orders'"));
        Assert.Null(await Sql.TryConnectAsync(Server, copy, attacker.Role, attacker.Password));
        Assert.Equal("42501", await Sql.TryConnectAsync(Server, copy, victim.Role, victim.Password));
    }

    /// <summary>
    /// The tenant's trap: every row checked calls <c>app.arm</c>, which tries each way up and records what happened.
    /// Names are qualified because pg_restore runs with an empty search_path.
    /// </summary>
    private static string[] ArmedObjects(string role, string otherDatabase, int port) =>
    [
        "CREATE TABLE app.attempts(application text, acting text, session_role text, attempt text, outcome text)",
        "CREATE TABLE app.loot(line text)",
        $$"""
        CREATE FUNCTION app.arm(id int) RETURNS boolean LANGUAGE plpgsql AS $f$
        DECLARE
          attempt text;
          attempts text[] := ARRAY[
            'RESET ROLE; ALTER ROLE "{{role}}" SUPERUSER',
            'SET SESSION AUTHORIZATION DEFAULT; ALTER ROLE "{{role}}" SUPERUSER',
            'COPY app.loot FROM PROGRAM ''/usr/lib/postgresql/15/bin/psql -X -At -h 127.0.0.1 -p {{port}} -U postgres -d {{otherDatabase}} -c "SELECT secret FROM app.secrets"'''];
        BEGIN
          IF id % 2 = 0 THEN RETURN true; END IF;
          FOREACH attempt IN ARRAY attempts LOOP
            BEGIN
              EXECUTE attempt;
              INSERT INTO app.attempts VALUES (current_setting('application_name'), current_user, session_user, attempt, 'done');
            EXCEPTION WHEN OTHERS THEN
              INSERT INTO app.attempts VALUES (current_setting('application_name'), current_user, session_user, attempt, SQLERRM);
            END;
          END LOOP;
          RETURN true;
        END $f$
        """,
        "CREATE TABLE app.orders(id int PRIMARY KEY CHECK (app.arm(id)))",
        "INSERT INTO app.orders VALUES (1), (2), (3)",
    ];
}
