using Infra.Providers;
using Infra.Providers.Postgres;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using static Infra.Tenants.Tests.Support.ProviderHarness;

namespace Infra.Tenants.Tests.Provider;

[Collection(PostgresCollection.Name)]
public class PostgresProviderLifecycleTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Create_adopts_a_role_that_already_exists_exactly_as_declared()
    {
        var name = Sql.Unique("adopt_");
        await using var provider = Create(Server);
        var inputs = Map(("name", name), ("login", true), ("connectionLimit", 7), ("password", "s3cret-Password"));
        await provider.CheckAndCreateAsync(PostgresTypes.Role, inputs);
        var oid = await Sql.ScalarAsync<uint>(Server, "SELECT oid FROM pg_roles WHERE rolname = $1", name);

        // A second create, as after a crash between the CREATE ROLE and the state write, adopts the same role.
        await using var again = Create(Server);
        var created = await again.CheckAndCreateAsync(PostgresTypes.Role, inputs);

        Assert.Equal(name, created.Id);
        Assert.Equal(oid, await Sql.ScalarAsync<uint>(Server, "SELECT oid FROM pg_roles WHERE rolname = $1", name));
        Assert.True(created.Outputs["password"].IsSecret);
    }

    [Fact]
    public async Task Create_reports_a_conflict_for_a_role_that_differs_and_changes_nothing()
    {
        var name = Sql.Unique("conflict_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{name}\" LOGIN CONNECTION LIMIT 3");
        await using var provider = Create(Server);

        var error = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", name), ("login", true), ("connectionLimit", 10))));

        Assert.Equal((PostgresTypes.Role, name), (error.Type, error.ImportId));
        Assert.Contains("already exists and differs", error.Reason, StringComparison.Ordinal);
        Assert.Contains("connection limit is 3, declared 10", error.Reason, StringComparison.Ordinal);
        Assert.Equal(3, await Sql.ScalarAsync<int>(Server, "SELECT rolconnlimit FROM pg_roles WHERE rolname = $1", name));
    }

    [Fact]
    public async Task Create_reports_a_conflict_for_a_database_with_another_owner()
    {
        var name = Sql.Unique("db_conflict_");
        var owner = Sql.Unique("owner_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{owner}\"", $"CREATE DATABASE \"{name}\"");
        await using var provider = Create(Server);

        var error = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            provider.CheckAndCreateAsync(PostgresTypes.Database, Map(("name", name), ("owner", owner))));

        Assert.Contains($"owner is 'postgres', declared '{owner}'", error.Reason, StringComparison.Ordinal);
        Assert.Equal("postgres", await Sql.ScalarAsync<string>(Server, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = $1", name));
    }

    [Fact]
    public async Task Import_adopts_existing_role_database_schema_and_grant_by_id()
    {
        var role = Sql.Unique("imp_");
        var database = Sql.Unique("impdb_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{role}\" LOGIN CONNECTION LIMIT 4", $"CREATE DATABASE \"{database}\" OWNER \"{role}\" CONNECTION LIMIT 4",
            $"REVOKE ALL ON DATABASE \"{database}\" FROM PUBLIC");
        await Sql.ExecuteAsync(Server.ConnectionString(database), $"CREATE SCHEMA app AUTHORIZATION \"{role}\"");
        await using var provider = Create(Server);

        var roleRead = await provider.ReadAsync(PostgresTypes.Role, role, null);
        var databaseRead = await provider.ReadAsync(PostgresTypes.Database, database, null);
        var schemaRead = await provider.ReadAsync(PostgresTypes.Schema, $"{database}/app", null);
        var grantRead = await provider.ReadAsync(PostgresTypes.Grant, $"{database}/database/{role}", null);

        Assert.Equal(ReadStatus.Found, roleRead.Status);
        Assert.Equal(4, (int)roleRead.Inputs["connectionLimit"].AsNumber);
        Assert.True(roleRead.Inputs["login"].AsBool);
        Assert.Equal(role, databaseRead.Inputs.GetString("owner"));
        Assert.Equal(Server.Port, (int)databaseRead.Outputs["port"].AsNumber);
        Assert.Equal(role, schemaRead.Inputs.GetString("owner"));
        Assert.Equal(["CONNECT", "CREATE", "TEMPORARY"], grantRead.Inputs["privileges"].AsArray.Select(static p => p.AsString));
        Assert.Equal(ReadStatus.NotFound, (await provider.ReadAsync(PostgresTypes.Role, Sql.Unique("missing_"), null)).Status);
    }

    [Fact]
    public async Task Read_without_an_id_locates_objects_by_their_declared_names()
    {
        var role = Sql.Unique("crash_");
        await using var provider = Create(Server);
        var inputs = await provider.CheckedAsync(PostgresTypes.Role, Map(("name", role), ("login", true)));

        Assert.Equal(ReadStatus.NotFound, (await provider.ReadAsync(PostgresTypes.Role, null, inputs)).Status);
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{role}\" LOGIN");
        await using var fresh = Create(Server);
        var read = await fresh.ReadAsync(PostgresTypes.Role, null, inputs);

        Assert.Equal(ReadStatus.Found, read.Status);
        Assert.Equal(role, read.Id);
    }

    [Fact]
    public async Task Password_changed_by_hand_shows_as_drift_and_update_sets_it_back()
    {
        var role = Sql.Unique("pw_");
        await using var provider = Create(Server);
        var inputs = Map(("name", role), ("login", true), ("password", "declared-Password-1"));
        var created = await provider.CheckAndCreateAsync(PostgresTypes.Role, inputs);
        var checkedInputs = await provider.CheckedAsync(PostgresTypes.Role, inputs);
        Assert.True((await provider.ReadAsync(PostgresTypes.Role, role, checkedInputs)).Inputs.ContainsKey("password"));

        await Sql.ExecuteAsync(Server, $"ALTER ROLE \"{role}\" PASSWORD 'changed-by-hand'");
        await using var refresh = Create(Server);
        var drifted = await refresh.ReadAsync(PostgresTypes.Role, role, checkedInputs);
        Assert.False(drifted.Inputs.ContainsKey("password"));

        await refresh.UpdateAsync(new UpdateRequest(Urn(PostgresTypes.Role, "r"), PostgresTypes.Role, role, drifted.Inputs, drifted.Outputs, checkedInputs, null, false),
            CancellationToken.None);
        await using var after = Create(Server);
        Assert.True((await after.ReadAsync(PostgresTypes.Role, role, checkedInputs)).Inputs.ContainsKey("password"));
        Assert.Equal(created.Id, role);
    }

    [Fact]
    public async Task A_role_is_a_member_of_exactly_the_declared_roles_and_a_membership_added_by_hand_is_a_conflict_on_adopt()
    {
        var role = Sql.Unique("mon_");
        await using var provider = Create(Server);
        var inputs = Map(("name", role), ("login", true), ("memberOf", new[] { "pg_monitor" }));
        await provider.CheckAndCreateAsync(PostgresTypes.Role, inputs);
        var checkedInputs = await provider.CheckedAsync(PostgresTypes.Role, inputs);
        const string memberships = "SELECT string_agg(r.rolname, ',' ORDER BY r.rolname) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = $1::regrole";
        Assert.Equal("pg_monitor", await Sql.ScalarAsync<string>(Server, memberships, role));
        var read = await provider.ReadAsync(PostgresTypes.Role, role, checkedInputs);
        Assert.Equal(["pg_monitor"], read.Inputs["memberOf"].AsArray.Select(static v => v.AsString));

        // Declared memberships are exact: an update to another set grants and revokes.
        var changed = await provider.CheckedAsync(PostgresTypes.Role, Map(("name", role), ("login", true), ("memberOf", new[] { "pg_read_all_stats" })));
        await provider.UpdateAsync(new UpdateRequest(Urn(PostgresTypes.Role, "r"), PostgresTypes.Role, role, read.Inputs, read.Outputs, changed, null, false), CancellationToken.None);
        Assert.Equal("pg_read_all_stats", await Sql.ScalarAsync<string>(Server, memberships, role));

        // A role someone made a member of more than declared is not adopted.
        var planted = Sql.Unique("planted_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{planted}\" LOGIN", $"GRANT pg_monitor, pg_read_all_data TO \"{planted}\"");
        await using var third = Create(Server);
        var error = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            third.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", planted), ("login", true), ("memberOf", new[] { "pg_monitor" }))));
        Assert.Contains("it is a member of 'pg_read_all_data'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_grant_and_regranted_public_connect_show_as_drift()
    {
        var role = Sql.Unique("g_");
        var database = Sql.Unique("gdb_");
        await using var provider = Create(Server);
        await provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", role), ("login", true)));
        await provider.CheckAndCreateAsync(PostgresTypes.Database, Map(("name", database), ("owner", role)));
        var revoke = await provider.CheckedAsync(PostgresTypes.Revoke, Map(("role", "public"), ("database", database), ("privileges", new[] { "CONNECT", "TEMP" })));
        var grant = await provider.CheckedAsync(PostgresTypes.Grant, Map(("role", role), ("database", database), ("privileges", new[] { "connect", "temporary" })));
        await provider.CreateAsync(new CreateRequest(Urn(PostgresTypes.Revoke, "r"), PostgresTypes.Revoke, revoke, null, false), CancellationToken.None);
        await provider.CreateAsync(new CreateRequest(Urn(PostgresTypes.Grant, "g"), PostgresTypes.Grant, grant, null, false), CancellationToken.None);
        var nobody = Sql.Unique("nobody_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{nobody}\" LOGIN PASSWORD 'nobody'");
        Assert.Equal(PermissionDenied, await Sql.TryConnectAsync(Server, database, nobody, "nobody"));

        await Sql.ExecuteAsync(Server, $"REVOKE CONNECT ON DATABASE \"{database}\" FROM \"{role}\"", $"GRANT CONNECT ON DATABASE \"{database}\" TO PUBLIC");
        await using var refresh = Create(Server);
        var grantRead = await refresh.ReadAsync(PostgresTypes.Grant, $"{database}/database/{role}", grant);
        var revokeRead = await refresh.ReadAsync(PostgresTypes.Revoke, $"{database}/database/PUBLIC", revoke);

        Assert.Equal(["TEMPORARY"], grantRead.Inputs["privileges"].AsArray.Select(static p => p.AsString));
        Assert.Equal(ReadStatus.NotFound, revokeRead.Status);
    }

    [Fact]
    public async Task A_grant_conflicts_with_privileges_someone_granted_by_hand()
    {
        var role = Sql.Unique("t_");
        var database = await Server.CreateDatabaseAsync("tbl");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{role}\"");
        await Sql.ExecuteAsync(Server.ConnectionString(database), "CREATE SCHEMA s", "CREATE TABLE s.a(id int)", "CREATE TABLE s.b(id int)",
            $"GRANT SELECT, DELETE ON s.b TO \"{role}\"");
        await using var provider = Create(Server);

        var error = await Assert.ThrowsAsync<ResourceConflictException>(() => provider.CheckAndCreateAsync(PostgresTypes.Grant,
            Map(("role", role), ("database", database), ("objectType", "table"), ("schema", "s"), ("privileges", new[] { "SELECT" }))));

        Assert.Contains("also holds DELETE", error.Reason, StringComparison.Ordinal);
        Assert.False(await Sql.ScalarAsync<bool>(Server.ConnectionString(database), $"SELECT has_table_privilege('{role}', 's.a', 'SELECT')"));
    }

    [Fact]
    public async Task Schema_extension_and_default_privileges_round_trip_and_delete()
    {
        var owner = Sql.Unique("o_");
        var reader = Sql.Unique("rd_");
        var database = await Server.CreateDatabaseAsync("ext");
        await using var provider = Create(Server);
        await provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", owner)));
        await provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", reader)));
        var schema = await provider.CheckedAsync(PostgresTypes.Schema, Map(("name", "data"), ("database", database), ("owner", owner)));
        var extension = await provider.CheckedAsync(PostgresTypes.Extension, Map(("name", "citext"), ("database", database), ("schema", "data")));
        var defaults = await provider.CheckedAsync(PostgresTypes.DefaultPrivileges,
            Map(("role", reader), ("database", database), ("owner", owner), ("schema", "data"), ("objectType", "table"), ("privileges", new[] { "SELECT" })));
        foreach (var (type, inputs) in new[] { (PostgresTypes.Schema, schema), (PostgresTypes.Extension, extension), (PostgresTypes.DefaultPrivileges, defaults) })
        {
            await provider.CreateAsync(new CreateRequest(Urn(type, "r"), type, inputs, null, false), CancellationToken.None);
        }

        await Sql.ExecuteAsync(Server.ConnectionString(database), $"SET ROLE \"{owner}\"", "CREATE TABLE data.t(id int)");
        Assert.True(await Sql.ScalarAsync<bool>(Server.ConnectionString(database), $"SELECT has_table_privilege('{reader}', 'data.t', 'SELECT')"));
        await using var refresh = Create(Server);
        Assert.Equal(ReadStatus.Found, (await refresh.ReadAsync(PostgresTypes.Extension, $"{database}/citext", extension)).Status);
        Assert.Equal(ReadStatus.Found, (await refresh.ReadAsync(PostgresTypes.DefaultPrivileges, $"{database}/{owner}/data/table/{reader}", defaults)).Status);

        foreach (var (type, inputs) in new[] { (PostgresTypes.DefaultPrivileges, defaults), (PostgresTypes.Extension, extension) })
        {
            await refresh.DeleteAsync(new DeleteRequest(Urn(type, "r"), type, "id", inputs, inputs, null), CancellationToken.None);
        }

        await using var after = Create(Server);
        Assert.Equal(ReadStatus.NotFound, (await after.ReadAsync(PostgresTypes.Extension, $"{database}/citext", extension)).Status);
        Assert.Equal(ReadStatus.NotFound, (await after.ReadAsync(PostgresTypes.DefaultPrivileges, $"{database}/{owner}/data/table/{reader}", defaults)).Status);
        Assert.Equal(ReadStatus.Found, (await after.ReadAsync(PostgresTypes.Schema, $"{database}/data", schema)).Status);
    }

    private const string PermissionDenied = "42501";
}
