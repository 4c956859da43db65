using Infra.Providers.Postgres;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using static Infra.Tenants.Tests.Support.ProviderHarness;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// A tenant shadows catalog functions and operators in its own schema and puts that schema first on its database's
/// search_path, hoping an admin session in its database calls them as a superuser.
/// </summary>
[Collection(PostgresCollection.Name)]
public class AdminSessionAttackTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Tenant_shadowing_a_catalog_function_cannot_run_code_as_the_admin()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var tenant = await TenantSession.OfAsync(project, stack);

        await tenant.ExecuteAsync(ShadowObjects(tenant.Role));
        if (await tenant.TryExecuteAsync($"ALTER DATABASE \"{tenant.Database}\" SET search_path = app, pg_catalog") is not null)
        {
            // The tenant can no longer set it; a tenant that owned its database before it moved to the owner role
            // could have, and ALTER DATABASE ... OWNER TO keeps the setting. Plant it the way that tenant did.
            await Sql.ExecuteAsync(Server, $"ALTER DATABASE \"{tenant.Database}\" SET search_path = app, pg_catalog");
        }

        // Armed: an unqualified call in a session on that database runs the tenant's function.
        await tenant.ExecuteAsync("SELECT pg_get_userbyid(10)");
        Assert.True(await Sql.ScalarAsync<long>(tenant.ConnectionString(), "SELECT count(*) FROM app.calls WHERE called_by = current_user") > 0,
            "the shadow function was never called, so the attack tested nothing");

        // Everything the platform does inside the tenant's database: refresh (drift reads), up, and the schema, table
        // grant, default privileges and extension management a stack can declare there.
        var refresh = await project.Cli.RunAsync("refresh", "--yes", "-s", stack);
        var up = await project.UpAsync(stack);
        await using (var provider = Create(Server))
        {
            var reader = Sql.Unique("reader_");
            await provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", reader)));
            await provider.CheckAndCreateAsync(PostgresTypes.Schema, Map(("name", "reports"), ("database", tenant.Database), ("owner", tenant.Role)));
            await provider.CheckAndCreateAsync(PostgresTypes.Grant,
                Map(("role", reader), ("database", tenant.Database), ("objectType", "table"), ("schema", "app"), ("privileges", new[] { "SELECT" })));
            await provider.CheckAndCreateAsync(PostgresTypes.DefaultPrivileges,
                Map(("role", reader), ("database", tenant.Database), ("owner", tenant.Role), ("schema", "app"), ("objectType", "table"), ("privileges", new[] { "SELECT" })));
            await provider.CheckAndCreateAsync(PostgresTypes.Extension, Map(("name", "pgcrypto"), ("database", tenant.Database)));
            Assert.Equal(Providers.ReadStatus.Found, (await provider.ReadAsync(PostgresTypes.Schema, $"{tenant.Database}/app", null)).Status);
            Assert.Equal(Providers.ReadStatus.Found, (await provider.ReadAsync(PostgresTypes.Extension, $"{tenant.Database}/pgcrypto", null)).Status);
        }

        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.False(await tenant.IsSuperuserAsync());
        // Read as the tenant: an unpinned admin session in this database would itself run the shadows.
        Assert.Equal(0L, await Sql.ScalarAsync<long>(tenant.ConnectionString(), "SELECT count(*) FROM app.calls WHERE called_by <> current_user"));
    }

    /// <summary>
    /// The tenant's shadows: <c>pg_get_userbyid</c> and the <c>=</c> operators on oids, each logging its caller and,
    /// when the caller is a superuser, making the tenant's role one.
    /// </summary>
    private static string[] ShadowObjects(string tenantRole) =>
    [
        "CREATE TABLE app.calls(called_by name)",
        "GRANT INSERT ON app.calls TO PUBLIC",
        $$"""
        CREATE FUNCTION app.strike() RETURNS void LANGUAGE plpgsql AS $f$
        BEGIN
            INSERT INTO app.calls VALUES (current_user);
            IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) current_user) THEN
                EXECUTE 'ALTER ROLE "{{tenantRole}}" SUPERUSER';
            END IF;
        END $f$
        """,
        """
        CREATE FUNCTION app.pg_get_userbyid(oid) RETURNS name LANGUAGE plpgsql AS $f$
        BEGIN PERFORM app.strike(); RETURN pg_catalog.pg_get_userbyid($1); END $f$
        """,
        """
        CREATE FUNCTION app.oid_eq(oid, oid) RETURNS boolean LANGUAGE plpgsql AS $f$
        BEGIN PERFORM app.strike(); RETURN $1 OPERATOR(pg_catalog.=) $2; END $f$
        """,
        """
        CREATE FUNCTION app.oid_eq_int(oid, integer) RETURNS boolean LANGUAGE plpgsql AS $f$
        BEGIN PERFORM app.strike(); RETURN $1 OPERATOR(pg_catalog.=) $2::oid; END $f$
        """,
        "CREATE OPERATOR app.= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = app.oid_eq)",
        "CREATE OPERATOR app.= (LEFTARG = oid, RIGHTARG = integer, FUNCTION = app.oid_eq_int)",
    ];
}
