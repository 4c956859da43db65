using System.Diagnostics;
using Infra.Providers;
using Infra.Providers.Postgres;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using static Infra.Tenants.Tests.Support.ProviderHarness;

namespace Infra.Tenants.Tests.Provider;

[Collection(PostgresCollection.Name)]
public class PostgresProviderSafetyTests(PostgresFixture fixture)
{
    private const string Injection = "acme\"; DROP DATABASE postgres; --";

    private PostgresServer Server => fixture.Server;

    [Theory]
    [InlineData(PostgresTypes.Role, "name")]
    [InlineData(PostgresTypes.Database, "name")]
    [InlineData(PostgresTypes.Schema, "name")]
    public async Task Check_rejects_names_that_carry_sql(string type, string key)
    {
        await using var provider = Create(Server);
        var inputs = Map((key, Injection), ("database", "postgres"), ("owner", "postgres"));

        var check = await provider.CheckAsync(new CheckRequest(Urn(type, "r"), type, null, inputs), CancellationToken.None);

        var failure = Assert.Single(check.Failures, f => f.Property == key);
        Assert.Contains("is not a valid", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_with_a_name_that_carries_sql_fails_before_any_connection_is_attempted()
    {
        // The provider points at a port nobody listens on: a connection attempt would fail with a different error.
        var unreachable = $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Timeout=2";
        await using var provider = Create(unreachable, maxRetries: 0);

        foreach (var type in new[] { PostgresTypes.Role, PostgresTypes.Database, PostgresTypes.Grant })
        {
            var inputs = Map(("name", Injection), ("role", Injection), ("database", Injection), ("owner", "postgres"), ("privileges", new[] { "CONNECT" }));
            var error = await Assert.ThrowsAsync<ResourceException>(() =>
                provider.CreateAsync(new CreateRequest(Urn(type, "r"), type, inputs, null, Preview: false), CancellationToken.None));

            Assert.Contains("is not a valid", error.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("cannot reach", error.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    [Fact]
    public async Task Refresh_reads_each_object_kind_with_one_catalog_query()
    {
        var database = await Server.CreateDatabaseAsync("batch");
        var roles = Enumerable.Range(0, 12).Select(_ => Sql.Unique("b_")).ToList();
        await using (var setup = Create(Server))
        {
            foreach (var role in roles)
            {
                await setup.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", role), ("login", true)));
                await setup.CheckAndCreateAsync(PostgresTypes.Grant, Map(("role", role), ("database", database), ("privileges", new[] { "CONNECT" })));
                await setup.CheckAndCreateAsync(PostgresTypes.Schema, Map(("name", role), ("database", database), ("owner", role)));
            }
        }

        await using var provider = Create(Server);
        var reads = roles.SelectMany(role => new[]
        {
            provider.ReadAsync(PostgresTypes.Role, role, null),
            provider.ReadAsync(PostgresTypes.Grant, $"{database}/database/{role}", null),
            provider.ReadAsync(PostgresTypes.Schema, $"{database}/{role}", null),
        });
        var results = await Task.WhenAll(reads);

        Assert.All(results, static r => Assert.Equal(ReadStatus.Found, r.Status));
        // Roles, databases (with their access lists) and schemas: three kinds, three queries, for 36 reads.
        Assert.Equal(3, provider.Catalog.Queries);
    }

    [Fact]
    public async Task Transient_too_many_connections_is_retried_until_the_server_accepts()
    {
        var admin = Sql.Unique("busy_");
        var role = Sql.Unique("later_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{admin}\" LOGIN SUPERUSER CONNECTION LIMIT 0 PASSWORD 'busy'");
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(Server.ConnectionString()) { Username = admin, Password = "busy" }.ConnectionString;
        await using var provider = Create(connection, maxRetries: 8);

        // Superusers ignore connection limits, so take that away until the server "frees a slot".
        await Sql.ExecuteAsync(Server, $"ALTER ROLE \"{admin}\" NOSUPERUSER CREATEROLE");
        var create = provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", role)));
        var clock = Stopwatch.StartNew();
        while (provider.Connector.Retries < 2 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
        }

        await Sql.ExecuteAsync(Server, $"ALTER ROLE \"{admin}\" CONNECTION LIMIT -1");
        await create;

        Assert.True(provider.Connector.Retries >= 2);
        Assert.True(await Sql.RoleExistsAsync(Server, role));
    }

    [Fact]
    public async Task Permanent_errors_are_not_retried()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(Server.ConnectionString()) { Username = Sql.Unique("nobody_"), Password = "guess" }.ConnectionString;
        await using var provider = Create(connection, maxRetries: 5);

        var error = await Assert.ThrowsAsync<ResourceException>(() => provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", Sql.Unique("x_")))));

        Assert.Contains("SQLSTATE 28P01", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, provider.Connector.Retries);
    }

    [Fact]
    public async Task Connection_failures_give_up_after_the_retry_limit()
    {
        await using var provider = Create($"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Timeout=2", maxRetries: 2);

        var error = await Assert.ThrowsAsync<ResourceException>(() => provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", Sql.Unique("x_")))));

        Assert.Contains("gave up after 3 attempt(s)", error.Reason, StringComparison.Ordinal);
        Assert.Equal(2, provider.Connector.Retries);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
