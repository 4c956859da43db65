using Infra.Providers.Postgres;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Tenants.Tests.Stack;

[Collection(PostgresCollection.Name)]
public class TenantIsolationTests(PostgresFixture fixture)
{
    private const string PermissionDenied = "42501";

    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Tenants_cannot_reach_each_others_databases_and_public_cannot_connect_to_either()
    {
        using var project = new TenantProject(Server);
        var (a, b) = (TenantProject.NewTenantId(), TenantProject.NewTenantId());
        foreach (var id in new[] { a, b })
        {
            var stack = await project.InitAsync(id);
            var up = await project.UpAsync(stack);
            Assert.True(up.ExitCode == 0, up.ToString());
        }

        var outputsA = await project.OutputsAsync($"tenant-{a}");
        var outputsB = await project.OutputsAsync($"tenant-{b}");
        var (userA, passwordA, databaseA) = (outputsA.GetProperty("databaseUser").GetString()!, outputsA.GetProperty("databasePassword").GetString()!, outputsA.GetProperty("databaseName").GetString()!);
        var databaseB = outputsB.GetProperty("databaseName").GetString()!;

        // Each tenant connects to its own database with the credentials the stack exported.
        var own = PostgresNames.ParseConnectionString(outputsA.GetProperty("connectionString").GetString()!);
        own.Pooling = false;
        await Sql.ExecuteAsync(own.ConnectionString, "CREATE TABLE app.secrets(value text)", "INSERT INTO app.secrets VALUES ('a-only')");
        Assert.Null(await Sql.TryConnectAsync(Server, databaseA, userA, passwordA));

        // A's role, given B's database name, is refused at connect time: it cannot read B's tables at all.
        Assert.Equal(PermissionDenied, await Sql.TryConnectAsync(Server, databaseB, userA, passwordA));
        await using (var connection = new NpgsqlConnection(own.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT * FROM \"{databaseB}\".app.secrets", connection);
            var crossDatabase = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
            Assert.Equal(PostgresErrorCodes.FeatureNotSupported, crossDatabase.SqlState);
        }

        // PUBLIC (any other login on the server) can connect to neither.
        var stranger = Sql.Unique("stranger_");
        await Sql.ExecuteAsync(Server, $"CREATE ROLE \"{stranger}\" LOGIN PASSWORD 'stranger'");
        Assert.Equal(PermissionDenied, await Sql.TryConnectAsync(Server, databaseA, stranger, "stranger"));
        Assert.Equal(PermissionDenied, await Sql.TryConnectAsync(Server, databaseB, stranger, "stranger"));
        Assert.False(await Sql.ScalarAsync<bool>(Server, $"SELECT has_database_privilege('{stranger}', '{databaseA}', 'CONNECT')"));
    }

    [Fact]
    public async Task A_second_up_reports_no_changes()
    {
        using var project = new TenantProject(Server);
        var stack = await project.InitAsync(TenantProject.NewTenantId(), plan: "free");
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);

        var second = await project.UpAsync(stack, "--expect-no-changes");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"{TenantStackShape.Resources} unchanged", second.Stdout, StringComparison.Ordinal);
    }
}
