using Infra.Backups.Drills;
using Infra.Providers.Postgres.Archive;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Tenants.Tests.Stack;

/// <summary>A PostgreSQL of the class's own, started with <c>archive_mode = on</c>: the platform stack points its archiving at pgBackRest, a server-wide change.</summary>
public sealed class ArchivingPostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartOwnAsync(["archive_mode=on"]);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// Point-in-time recovery with the real pgBackRest (Debian's) and PostgreSQL: the platform stack sets up WAL
/// archiving into a local stanza, and <c>infra dr drill</c> restores the whole server into a new data directory on
/// another port, checks every tenant database there, and stops and deletes the copy. Reduced to two tenants; the
/// 50-tenant figure is <c>bench/Infra.Bench.Tenants pitr</c>.
/// </summary>
public sealed class ServerDrillTests(ArchivingPostgresFixture fixture) : IClassFixture<ArchivingPostgresFixture>
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Dr_drill_restores_the_whole_server_on_another_port_with_every_tenant_database_and_its_rows_up_to_the_target_time()
    {
        using var project = new TenantProject(Server);
        var (first, second) = (TenantProject.NewTenantId(), TenantProject.NewTenantId());
        await project.UpTenantsAsync(first, second);
        await AddOrdersAsync(first, 1, 40);
        var repository = Path.Combine(Path.GetTempPath(), "infra-pitr-repo-" + Guid.NewGuid().ToString("N")[..8]);
        await project.Cli.RunOkAsync("stack", "init", "platform");
        await project.ConfigAsync("platform", [("infra:kind", "platform"), .. TenantKubernetesConfig.Config, ("platform:pitrRepository", repository)]);
        await project.Cli.RunOkAsync("config", "set", "--secret", "postgres:connectionString", project.AdminConnectionString, "-s", "platform");
        try
        {
            var up = await project.UpAsync("platform");
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Contains("archive-push", await Sql.ScalarAsync<string>(Server, "SELECT current_setting('archive_command')"), StringComparison.Ordinal);

            // Rows written after the stanza's full backup reach the copy through the archived WAL.
            await AddOrdersAsync(first, 41, 60);
            await AddOrdersAsync(second, 1, 7);
            var port = FreePort();
            var drill = await project.Cli.RunAsync("dr", "drill", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.True(drill.ExitCode == 0, drill.ToString());
            Assert.Matches($@"Restored to \d{{4}}-\d\d-\d\d [\d:.]+ UTC in \d+\.\d\d s", drill.Stdout);
            Assert.Contains($"tenant-{first}: ok: tenant_{first} has 1 table(s), 60 row(s), as live at the target time.", drill.Stdout, StringComparison.Ordinal);
            Assert.Contains($"tenant-{second}: ok: tenant_{second} has 1 table(s), 7 row(s), as live at the target time.", drill.Stdout, StringComparison.Ordinal);
            Assert.Contains("2 tenant database(s) ok, 0 failed or differing", drill.Stdout, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sql.ScalarAsync<int>(AdminOn(port), "SELECT 1"));
            Assert.DoesNotContain(Directory.EnumerateDirectories(Path.GetTempPath(), "infra-pitr-*"), static d => File.Exists(Path.Combine(d, "data", "postmaster.pid")));

            // A time in the past: the copy holds what was committed before it and nothing after.
            var stanza = new PgBackRestStanza(repository, "tenants", await ServerAccount.OwnerOfAsync(repository, CancellationToken.None));
            await AddOrdersAsync(first, 61, 63);
            var target = await Sql.ScalarAsync<DateTime>(Server, "SELECT clock_timestamp()");
            await Task.Delay(20);
            await AddOrdersAsync(first, 64, 65);
            await stanza.RunAsync("check", [], CancellationToken.None);
            var admin = new NpgsqlConnectionStringBuilder(Server.ConnectionString());
            await using (var copy = await RestoredServer.RestoreAsync(stanza, admin, new DateTimeOffset(target, TimeSpan.Zero), port, Path.GetTempPath(), CancellationToken.None))
            {
                Assert.Equal(63L, await Sql.ScalarAsync<long>(AdminOn(copy.Port, $"tenant_{first}"), $"SELECT count(*) FROM app.orders"));
            }

            Assert.Equal(65L, await Sql.ScalarAsync<long>(Server.ConnectionString($"tenant_{first}"), "SELECT count(*) FROM app.orders"));

            // Without archive_mode (the restart drops it), a new stanza is refused in one line and nothing changes.
            await Server.RestartAsync();
            await project.ConfigAsync("platform", ("platform:pitrStanza", "other"));
            var refused = await project.UpAsync("platform");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("archive_mode is off on postgres at 127.0.0.1:", refused.ToString(), StringComparison.Ordinal);
            // SHOW says "(disabled)" without archive_mode; what ALTER SYSTEM wrote is still the first stanza's command.
            Assert.Contains("--stanza=tenants ", await Sql.ScalarAsync<string>(Server, "SELECT setting FROM pg_file_settings WHERE name = 'archive_command' ORDER BY seqno DESC LIMIT 1"), StringComparison.Ordinal);
        }
        finally
        {
            await RemoveAsync(repository);
        }
    }

    [Fact]
    public async Task Dr_drill_without_an_archived_stack_says_how_to_turn_point_in_time_recovery_on()
    {
        using var project = new TenantProject(Server);
        var drill = await project.Cli.RunAsync("dr", "drill");

        Assert.Equal(1, drill.ExitCode);
        Assert.Contains("no stack has point-in-time recovery: set config 'platform:pitrRepository' on the platform stack and run 'infra up'", drill.ToString(), StringComparison.Ordinal);
    }

    private async Task AddOrdersAsync(string tenant, int from, int to) =>
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{tenant}"), $"SET ROLE \"tenant_{tenant}\"",
            "CREATE TABLE IF NOT EXISTS app.orders(id int PRIMARY KEY)", $"INSERT INTO app.orders SELECT generate_series({from}, {to})");

    private static string AdminOn(int port, string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = database, Pooling = false, Timeout = 3 }.ConnectionString;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RemoveAsync(string folder) =>
        Directory.Exists(folder) ? RepositoryTools.RunAsync("rm", "/", "-rf", folder) : Task.CompletedTask;
}
