using Infra.Automation;
using Infra.Components.Database;
using Infra.Deployment;
using Infra.Providers.Postgres;
using Infra.Stacks.Kinds.Tenant;
using Infra.Tenants.Tests.Support;
using Infra.Tenancy;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// The tenant's login role does not own its database, so it cannot change the database's settings (a search_path
/// for the admin's sessions, its connection limit) or open it to other roles.
/// </summary>
[Collection(PostgresCollection.Name)]
public class OwnershipAttackTests(PostgresFixture fixture)
{
    private const string InsufficientPrivilege = "42501";

    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Tenant_cannot_alter_its_database_or_open_it_to_public()
    {
        using var project = new TenantProject(Server);
        var stack = await project.InitAsync(TenantProject.NewTenantId(), plan: "free");
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var tenant = await TenantSession.OfAsync(project, stack);
        var database = $"\"{tenant.Database}\"";

        var setSearchPath = await tenant.TryExecuteAsync($"ALTER DATABASE {database} SET search_path = app, pg_catalog");
        var raiseLimit = await tenant.TryExecuteAsync($"ALTER DATABASE {database} CONNECTION LIMIT -1");
        var setTimeout = await tenant.TryExecuteAsync($"ALTER DATABASE {database} SET statement_timeout = 1");
        var rename = await tenant.TryExecuteAsync($"ALTER DATABASE {database} RENAME TO \"{tenant.Database}_x\"");
        var openToPublic = await tenant.TryExecuteAsync($"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO PUBLIC");

        Assert.Equal(InsufficientPrivilege, setSearchPath);
        Assert.Equal(InsufficientPrivilege, raiseLimit);
        Assert.Equal(InsufficientPrivilege, setTimeout);
        Assert.Equal(InsufficientPrivilege, rename);
        _ = openToPublic; // a non-owner's GRANT only warns "no privileges were granted"; what counts is the result:
        Assert.False(await Sql.ScalarAsync<bool>(Server, "SELECT has_database_privilege('public', $1, 'CONNECT')", tenant.Database));
        Assert.Equal(5, await Sql.ScalarAsync<int>(Server, "SELECT datconnlimit FROM pg_database WHERE datname = $1", tenant.Database));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(Server,
            "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1", tenant.Database));
        Assert.NotEqual(tenant.Role, await Sql.ScalarAsync<string>(Server, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1", tenant.Database));

        // What the tenant keeps: connecting, temporary tables, and its own schema.
        await tenant.ExecuteAsync("CREATE TEMPORARY TABLE scratch(v int)", "CREATE TABLE app.orders(id int)", "INSERT INTO app.orders VALUES (1)");
        Assert.Equal(InsufficientPrivilege, await tenant.TryExecuteAsync("CREATE SCHEMA elsewhere"));
    }

    [Fact]
    public async Task An_existing_tenant_moves_to_the_owner_role_on_its_next_up_without_downtime()
    {
        await using var workspace = await TenantWorkspace.OpenAsync(Server);
        var id = TenantProject.NewTenantId();
        var stack = await workspace.CreateTenantAsync(id, "standard");
        var legacy = StackProgram.FromDelegate(context =>
        {
            var database = new LegacyTenantDatabase(id, Arguments(TenantSettings.Read(context)));
            context.Export("databaseUser", database.User);
            context.Export("databasePassword", database.Password);
        });
        var current = StackProgram.FromDelegate(context =>
        {
            var database = TenantStack.DeclareDatabase(TenantSettings.Read(context));
            context.Export("databaseUser", database.User);
            context.Export("databasePassword", database.Password);
        });
        var before = await stack.UpAsync(new UpOptions { Program = legacy });
        var tenant = new TenantSession(Server, before.Outputs.GetString("databaseUser")!, before.Outputs.GetString("databasePassword")!, $"tenant_{id}");
        Assert.Equal(tenant.Role, await Sql.ScalarAsync<string>(Server, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1", tenant.Database));
        await tenant.ExecuteAsync("CREATE TABLE app.orders(id int)", "INSERT INTO app.orders VALUES (1), (2)");
        await using var running = new NpgsqlConnection(tenant.ConnectionString());
        await running.OpenAsync();

        var plan = await stack.PreviewAsync(new PreviewOptions { Program = current });
        var migration = await stack.UpAsync(new UpOptions { Program = current });

        // The plan: one new role (the owner) and the database updated in place, nothing replaced or deleted.
        var databaseStep = Assert.Single(plan.Plan.Steps, static s => s.Type == PostgresTypes.Database);
        Assert.Equal(StepOp.Update, databaseStep.Op);
        Assert.Equal("owner", Assert.Single(databaseStep.Changed));
        Assert.Equal(tenant.Role, databaseStep.OldInputs!.GetString("owner"));
        Assert.Equal(TenantConventions.OwnerRoleName(id), databaseStep.NewInputs!.GetString("owner"));
        Assert.Single(plan.Plan.Steps, static s => s.Type == PostgresTypes.Role && s.Op == StepOp.Create);
        Assert.DoesNotContain(migration.Steps, static s => s.Op is StepOp.Replace or StepOp.Delete);

        // The application never lost its database: the open session and a new one both read the same rows.
        await using (var command = new NpgsqlCommand("SELECT count(*) FROM app.orders", running))
        {
            Assert.Equal(2L, await command.ExecuteScalarAsync());
        }

        Assert.Equal(2L, await Sql.ScalarAsync<long>(tenant.ConnectionString(), "SELECT count(*) FROM app.orders"));
        Assert.Equal(TenantConventions.OwnerRoleName(id), await Sql.ScalarAsync<string>(Server, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1", tenant.Database));
        Assert.Equal("42501", await tenant.TryExecuteAsync($"ALTER DATABASE \"{tenant.Database}\" SET search_path = app"));
        Assert.False((await stack.PreviewAsync(new PreviewOptions { Program = current })).HasChanges);
    }

    private static TenantDatabaseArgs Arguments(TenantSettings tenant) => new()
    {
        TenantId = tenant.Id,
        ConnectionLimit = tenant.Plan.ConnectionLimit,
        BackupSchedule = tenant.Plan.BackupSchedule,
        BackupRetentionDays = tenant.Plan.BackupRetentionDays,
        Protect = tenant.Plan.Protect,
    };
}
