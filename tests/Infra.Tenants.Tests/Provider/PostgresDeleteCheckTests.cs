using Infra.Providers;
using Infra.Providers.Postgres;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Infra.Values;
using Npgsql;
using static Infra.Tenants.Tests.Support.ProviderHarness;

namespace Infra.Tenants.Tests.Provider;

/// <summary>
/// The postgres provider's check before a destroy's first delete (issue 14 §1): it names what would make a delete fail
/// once the rest of the destroy ran, and only that; each blocker it reports is one PostgreSQL would really refuse on.
/// </summary>
[Collection(PostgresCollection.Name)]
public class PostgresDeleteCheckTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task A_role_another_tenant_granted_privileges_to_is_blocked_naming_that_database_its_owner_and_the_kind()
    {
        var (hostile, hostileOwner, victim, database) = (Sql.Unique("dc_a_"), Sql.Unique("dc_a_owner_"), Sql.Unique("dc_b_"), Sql.Unique("dc_db_"));
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{hostileOwner}\" NOLOGIN", $"CREATE ROLE \"{hostile}\" LOGIN", $"CREATE ROLE \"{victim}\" LOGIN",
            $"CREATE DATABASE \"{database}\" OWNER \"{hostileOwner}\"");
        try
        {
            // The hostile tenant, in its own database and with its own rights, grants something to another tenant's role.
            await Sql.ExecuteAsync(Server.ConnectionString(database), $"CREATE SCHEMA app AUTHORIZATION \"{hostile}\"", $"SET ROLE \"{hostile}\"",
                "CREATE TABLE app.t(v int)", $"GRANT SELECT ON app.t TO \"{victim}\"");
            await using var provider = ProviderHarness.Create(Server);

            var blocker = await CheckAsync(provider, PostgresTypes.Role, victim, new DeletedObject(PostgresTypes.Role, victim));

            Assert.Equal($"role '{victim}' has objects in databases this destroy does not drop (database '{database}' (owner '{hostileOwner}'): privileges on 1 table); " +
                "drop those databases, or reassign or drop the role's objects in them", blocker);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(Server, $"DROP ROLE \"{victim}\""));
            Assert.Equal(PostgresErrorCodes.DependentObjectsStillExist, refused.SqlState);
            // A destroy that drops that database too clears what it holds there.
            Assert.Null(await CheckAsync(provider, PostgresTypes.Role, victim,
                new DeletedObject(PostgresTypes.Role, victim), new DeletedObject(PostgresTypes.Database, database)));
        }
        finally
        {
            await Sql.ExecuteAsync(Server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)",
                $"DROP ROLE IF EXISTS \"{victim}\"", $"DROP ROLE IF EXISTS \"{hostile}\"", $"DROP ROLE IF EXISTS \"{hostileOwner}\"");
        }
    }

    [Fact]
    public async Task A_database_with_a_session_the_admin_may_not_end_is_blocked_and_dropping_it_really_fails()
    {
        var (admin, database) = (Sql.Unique("dc_admin_"), Sql.Unique("dc_db_"));
        const string password = "limited-admin-password";
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{admin}\" LOGIN CREATEROLE CREATEDB PASSWORD '{password}'", $"CREATE DATABASE \"{database}\" OWNER \"{admin}\"");
        try
        {
            await using var provider = ProviderHarness.Create(new NpgsqlConnectionStringBuilder(Server.ConnectionString()) { Username = admin, Password = password }.ConnectionString);
            Assert.Null(await CheckAsync(provider, PostgresTypes.Database, database));
            // A superuser's session: a managed service's admin (CREATEROLE, CREATEDB) may not end it.
            var session = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server.ConnectionString(database)) { Pooling = false }.ConnectionString);
            await using (session)
            {
                await session.OpenAsync();

                var blocker = await CheckAsync(provider, PostgresTypes.Database, database);

                Assert.Equal($"database '{database}' is in use in ways dropping it cannot end: 1 session(s) the admin may not end; end them first", blocker);
                await Assert.ThrowsAsync<ResourceException>(() => provider.DeleteAsync(
                    new DeleteRequest(Urn(PostgresTypes.Database, "r"), PostgresTypes.Database, database, Map(("name", database)), PropertyMap.Empty, null), CancellationToken.None));
            }
        }
        finally
        {
            await Sql.ExecuteAsync(Server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", $"DROP ROLE IF EXISTS \"{admin}\"");
        }
    }

    private static Task<string?> CheckAsync(PostgresProvider provider, string type, string id, params DeletedObject[] deleted) =>
        provider.CheckDeleteAsync(new DeleteCheckRequest(Urn(type, "r"), type, id, Map(("name", id)), PropertyMap.Empty, [.. deleted]), CancellationToken.None);
}
