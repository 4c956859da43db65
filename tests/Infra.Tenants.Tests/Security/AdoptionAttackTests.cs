using Infra.Providers.Postgres;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Npgsql;
using static Infra.Tenants.Tests.Support.ProviderHarness;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// Someone who expects to become a tenant plants a role or a database under the name the platform will create, with
/// more rights than a tenant gets, hoping create adopts it and hands it over. The admin here is what a managed
/// service gives: CREATEROLE and CREATEDB but not superuser, so it cannot read the planted role's password.
/// </summary>
[Collection(PostgresCollection.Name)]
public class AdoptionAttackTests(PostgresFixture fixture)
{
    private const string PlantedPassword = "the-attackers-own-password";
    private const string DeclaredPassword = "declared-Password-1";

    private PostgresServer Server => fixture.Server;

    [Theory]
    [InlineData("SUPERUSER")]
    [InlineData("CREATEROLE")]
    [InlineData("CREATEDB")]
    [InlineData("REPLICATION")]
    [InlineData("BYPASSRLS")]
    public async Task Adopting_a_role_with_a_privileged_attribute_is_a_conflict_that_names_it(string attribute)
    {
        var name = Sql.Unique("planted_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{name}\" LOGIN {attribute} PASSWORD '{PlantedPassword}'");
        await using var provider = Create(await LimitedAdminAsync());

        var error = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", name), ("login", true), ("password", DeclaredPassword))));

        Assert.Contains(attribute, error.Reason, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Reason, StringComparison.Ordinal);
        Assert.Null(await Sql.TryConnectAsync(Server, "postgres", name, PlantedPassword));
    }

    [Fact]
    public async Task Adopting_a_role_with_a_membership_nobody_declared_is_a_conflict()
    {
        // pg_execute_server_program runs shell commands on the server as its operating-system user.
        var name = Sql.Unique("planted_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{name}\" LOGIN PASSWORD '{PlantedPassword}'", $"GRANT pg_execute_server_program TO \"{name}\"");
        await using var provider = Create(await LimitedAdminAsync());

        var error = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", name), ("login", true), ("password", DeclaredPassword))));

        Assert.Contains("pg_execute_server_program", error.Reason, StringComparison.Ordinal);
        Assert.Null(await Sql.TryConnectAsync(Server, "postgres", name, PlantedPassword));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_adopted_role_gets_the_declared_password_whether_or_not_the_admin_can_read_the_old_one(bool superuserAdmin)
    {
        var name = Sql.Unique("planted_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{name}\" LOGIN PASSWORD '{PlantedPassword}'");
        await using var provider = Create(superuserAdmin ? Server.ConnectionString() : await LimitedAdminAsync());

        await provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", name), ("login", true), ("password", DeclaredPassword)));

        Assert.Equal("28P01", await Sql.TryConnectAsync(Server, "postgres", name, PlantedPassword));
        Assert.Null(await Sql.TryConnectAsync(Server, "postgres", name, DeclaredPassword));
    }

    [Fact]
    public async Task Adopting_a_database_another_role_can_connect_to_is_a_conflict()
    {
        var (owner, intruder, database) = (Sql.Unique("owner_"), Sql.Unique("intruder_"), Sql.Unique("planted_"));
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{owner}\"", $"CREATE ROLE \"{intruder}\" LOGIN PASSWORD '{PlantedPassword}'",
            $"CREATE DATABASE \"{database}\" OWNER \"{owner}\"", $"REVOKE ALL ON DATABASE \"{database}\" FROM PUBLIC",
            $"GRANT CONNECT ON DATABASE \"{database}\" TO \"{intruder}\"");
        await using var provider = Create(Server);

        var error = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            provider.CheckAndCreateAsync(PostgresTypes.Database, Map(("name", database), ("owner", owner))));

        Assert.Contains(intruder, error.Reason, StringComparison.Ordinal);
        Assert.Contains("CONNECT", error.Reason, StringComparison.Ordinal);
        Assert.Null(await Sql.TryConnectAsync(Server, database, intruder, PlantedPassword));
    }

    [Fact]
    public async Task A_database_as_an_interrupted_create_left_it_is_still_adopted()
    {
        var (owner, database) = (Sql.Unique("owner_"), Sql.Unique("left_"));
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{owner}\"", $"CREATE DATABASE \"{database}\" OWNER \"{owner}\" ENCODING 'UTF8'");
        await using var provider = Create(Server);

        var created = await provider.CheckAndCreateAsync(PostgresTypes.Database, Map(("name", database), ("owner", owner)));

        Assert.Equal(database, created.Id);
    }

    /// <summary>An admin login with CREATEROLE and CREATEDB but not superuser, as managed PostgreSQL services give.</summary>
    private async Task<string> LimitedAdminAsync()
    {
        var admin = Sql.Unique("admin_");
        const string password = "limited-admin-password";
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{admin}\" LOGIN CREATEROLE CREATEDB PASSWORD '{password}'");
        return new NpgsqlConnectionStringBuilder(Server.ConnectionString()) { Username = admin, Password = password }.ConnectionString;
    }
}
