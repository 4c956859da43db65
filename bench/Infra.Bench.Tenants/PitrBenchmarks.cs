using System.Diagnostics;
using Infra.Automation;
using Infra.Backups.Drills;
using Infra.Providers.Postgres;
using Infra.Providers.Postgres.Archive;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Bench.Tenants;

/// <summary>
/// Point-in-time recovery figures (argument <c>pitr [tenants]</c>, 50 by default), on a PostgreSQL of their own with
/// <c>archive_mode = on</c>: a server with that many tenant databases (a login role each, 1,000 rows, then 100 more
/// written after the stanza's full backup, so recovery replays WAL), archived by the same <c>postgres:index:WalArchive</c>
/// the platform stack declares. Baseline: <c>pg_basebackup</c> of the same server into a new directory. Then the server
/// drill as <c>infra dr drill</c> runs it (read every tenant, restore to that time, start, compare, stop).
/// </summary>
internal static class PitrBenchmarks
{
    private static readonly StackProgram s_archive = StackProgram.FromDelegate(static context =>
        _ = new WalArchive("wal-archive", new WalArchiveArgs { Repository = context.Config.Get("platform:pitrRepository")!, Stanza = "bench" }));

    public static async Task RunAsync(Func<string, Workspace> open, int tenants)
    {
        // The repository's rules, plus the replication connection the pg_basebackup baseline needs.
        var hba = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "scripts", "postgres-hba.conf")) + "host replication postgres 127.0.0.1/32 trust\n";
        await using var server = await PostgresServer.StartOwnAsync(["archive_mode=on"], new Dictionary<string, string> { ["pg_hba.conf"] = hba });
        var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString());
        var run = Guid.NewGuid().ToString("N")[..6];
        var drilled = new List<ServerDrillTenant>(tenants);
        for (var i = 0; i < tenants; i++)
        {
            var name = $"tenant_p{run}_{i}";
            var password = Guid.NewGuid().ToString("N");
            await ExecuteAsync(admin, $"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'", $"CREATE DATABASE \"{name}\" OWNER \"{name}\"");
            var login = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Username = name, Password = password, Database = name };
            await ExecuteAsync(login, "CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS item FROM generate_series(1, 1000) g");
            drilled.Add(new ServerDrillTenant(name, name, login));
        }

        var repository = Path.Combine(Path.GetTempPath(), $"infra-pitr-bench-{run}");
        using var project = new CliProject();
        await using (var workspace = open(project.Directory))
        {
            var stack = await workspace.CreateStackAsync("archive");
            await stack.SetConfigAsync("postgres:connectionString", admin.ConnectionString, secret: true);
            await stack.SetConfigAsync("platform:pitrRepository", repository);
            var setup = Stopwatch.StartNew();
            await stack.UpAsync(new UpOptions { Program = s_archive });
            Figures.Print($"pitr.archive_setup.{tenants}_tenants", setup.Elapsed.TotalSeconds, "s");
        }

        foreach (var tenant in drilled)
        {
            await ExecuteAsync(tenant.Login, "INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1001, 1100) g");
        }

        try
        {
            var account = await ServerAccount.OwnerOfAsync(repository, default);
            var copy = Path.Combine(Path.GetTempPath(), $"infra-pitr-base-{run}");
            var baseline = Stopwatch.StartNew();
            await ServerAccount.RunAsync(account, "/usr/lib/postgresql/15/bin/pg_basebackup",
                ["-h", "127.0.0.1", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-D", copy, "-X", "stream", "-c", "fast"], default);
            var basebackup = baseline.Elapsed.TotalSeconds;
            await ServerAccount.RunAsync(account, "rm", ["-rf", copy], default);

            var stanza = new PgBackRestStanza(repository, "bench", account);
            var drill = Stopwatch.StartNew();
            var result = await ServerDrill.RunAsync(stanza, admin, drilled, FreePort(), Path.GetTempPath(), default);
            var total = drill.Elapsed;
            if (result.Tenants.Any(static t => !t.Matches) || result.Tenants.Any(static t => t.Rows != 1100))
            {
                throw new InvalidOperationException($"the drill did not match: {string.Join("; ", result.Tenants.Where(static t => !t.Matches).SelectMany(static t => t.Differences))}");
            }

            Figures.Print($"pitr.basebackup.{tenants}_tenants", basebackup, "s");
            Figures.Print($"pitr.restore_to_time.{tenants}_tenants", result.RestoreTime.TotalSeconds, "s");
            Figures.Print($"pitr.drill.{tenants}_tenants", total.TotalSeconds, "s");
            var phases = result.Phases;
            Figures.Print("pitr.drill.read_live", phases.ReadLive.TotalSeconds, "s");
            Figures.Print("pitr.drill.mark_target_and_check", phases.MarkTarget.TotalSeconds, "s");
            Figures.Print("pitr.drill.restore_files", phases.RestoreFiles.TotalSeconds, "s");
            Figures.Print("pitr.drill.start_replay_promote", phases.Recovery.TotalSeconds, "s");
            Figures.Print("pitr.drill.compare_tenants", phases.Compare.TotalSeconds, "s");
            Figures.Print("pitr.drill.stop_and_delete", (total - phases.ReadLive - phases.MarkTarget - result.RestoreTime - phases.Compare).TotalSeconds, "s");
            Figures.Print("pitr.load_average", LoadAverage(), "1m");
            Figures.Print("pitr.restore_over_basebackup", result.RestoreTime.TotalSeconds / basebackup, "x");
        }
        finally
        {
            await ServerAccount.RunAsync("postgres", "rm", ["-rf", repository], default);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnectionStringBuilder login, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(login.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The 1-minute load average (/proc/loadavg), printed with the figures: on a shared machine it says how comparable two runs are.</summary>
    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
