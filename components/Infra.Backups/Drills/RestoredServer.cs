using System.Globalization;
using Infra.Providers.Postgres.Archive;
using Npgsql;

namespace Infra.Backups.Drills;

/// <summary>
/// A copy of a whole server restored by pgBackRest to a point in time, into a new data directory, and running on
/// 127.0.0.1 on its own port with WAL archiving off (it must never push into the stanza it came from). Disposing it
/// stops it and deletes its data directory.
/// </summary>
public sealed class RestoredServer : IAsyncDisposable
{
    /// <summary>The settings a standby or restored copy must not run lower than the original (PostgreSQL refuses to recover otherwise).</summary>
    private static readonly string[] s_carried = ["max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions", "max_locks_per_transaction"];

    private readonly PgBackRestStanza _stanza;
    private readonly string _folder;
    private bool _running;

    private RestoredServer(PgBackRestStanza stanza, string folder, int port)
    {
        _stanza = stanza;
        _folder = folder;
        Port = port;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>How long pgBackRest took to write the data directory, before the copy started and replayed WAL.</summary>
    public TimeSpan FilesRestored { get; private set; }

    /// <summary>The data directory it runs from.</summary>
    public string DataDirectory => Path.Combine(_folder, "data");

    /// <summary><paramref name="login"/> (admin or tenant) pointed at this copy.</summary>
    public NpgsqlConnectionStringBuilder Reach(NpgsqlConnectionStringBuilder login)
    {
        ArgumentNullException.ThrowIfNull(login);
        return new NpgsqlConnectionStringBuilder(login.ConnectionString) { Host = "127.0.0.1", Port = Port, Pooling = false };
    }

    /// <summary>
    /// Restores <paramref name="stanza"/> as of <paramref name="target"/> into a new folder under <paramref name="scratchRoot"/>
    /// and starts it on <paramref name="port"/>, carrying over the settings of the live server (<paramref name="admin"/>)
    /// that recovery needs at least as high. The copy is stopped and deleted when anything fails.
    /// </summary>
    /// <exception cref="InfraException">pgBackRest or pg_ctl failed; the message is their first error line.</exception>
    public static async Task<RestoredServer> RestoreAsync(
        PgBackRestStanza stanza, NpgsqlConnectionStringBuilder admin, DateTimeOffset target, int port, string scratchRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(admin);
        var carried = await CarriedSettingsAsync(admin, cancellationToken).ConfigureAwait(false);
        var folder = Path.Combine(scratchRoot, $"infra-pitr-{Guid.NewGuid():N}"[..24]);
        await ServerAccount.RunAsync(stanza.Account, "mkdir", ["-p", "-m", "0700", Path.Combine(folder, "data")], cancellationToken).ConfigureAwait(false);
        var server = new RestoredServer(stanza, folder, port);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await stanza.RunAsync("restore",
            [
                $"--pg1-path={server.DataDirectory}",
                "--type=time",
                $"--target={target.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00",
                "--target-action=promote",
                "--archive-mode=off",
            ], cancellationToken).ConfigureAwait(false);
            server.FilesRestored = clock.Elapsed;
            // hot_standby off: the copy takes no connection until recovery has reached the target and promoted, so
            // pg_ctl -w returns only then (with it on, a query could see the copy halfway through its WAL).
            // syncfs: recovery from a backup first flushes the whole data directory to disk; one syncfs call does it
            // instead of opening and fsyncing every file of every tenant database (Linux, PostgreSQL 14 and later).
            var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c archive_mode=off -c hot_standby=off -c recovery_init_sync_method=syncfs"
                + string.Concat(carried.Select(static s => $" -c {s}"));
            server._running = true;
            await ServerAccount.RunAsync(stanza.Account, PostgresTools.PathOf("pg_ctl"),
                ["-D", server.DataDirectory, "-l", Path.Combine(folder, "log"), "-o", options, "-w", "-t", "300", "start"], cancellationToken).ConfigureAwait(false);
            await server.WaitUntilPromotedAsync(admin, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Waits until the copy has replayed its WAL to the target and promoted: pg_ctl may return while it still refuses
    /// connections (57P03) or is in recovery.
    /// </summary>
    private async Task WaitUntilPromotedAsync(NpgsqlConnectionStringBuilder admin, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5);
        var reach = new NpgsqlConnectionStringBuilder(Reach(admin).ConnectionString) { Database = "postgres", Timeout = 5 };
        while (true)
        {
            try
            {
                var connection = new NpgsqlConnection(reach.ConnectionString);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    var command = new NpgsqlCommand("SELECT pg_catalog.pg_is_in_recovery()", connection);
                    await using (command.ConfigureAwait(false))
                    {
                        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                        {
                            return;
                        }
                    }
                }
            }
            catch (NpgsqlException) when (DateTimeOffset.UtcNow < deadline)
            {
                // Still starting or replaying (57P03), or not listening yet.
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new InfraException($"the restored server on 127.0.0.1:{Port} did not finish recovery within 5 minutes; see {Path.Combine(_folder, "log")}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the copy and deletes its folder. Immediate shutdown: the copy is deleted next, so the shutdown checkpoint
    /// a fast shutdown writes (every page the recovery dirtied, then fsync) is work thrown away.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_running)
        {
            _running = false;
            try
            {
                await ServerAccount.RunAsync(_stanza.Account, PostgresTools.PathOf("pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (InfraException)
            {
                // It never started (pg_ctl start failed): there is nothing to stop, only the folder to delete.
            }
        }

        await ServerAccount.RunAsync(_stanza.Account, "rm", ["-rf", _folder], CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<string>> CarriedSettingsAsync(NpgsqlConnectionStringBuilder admin, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Pooling = false }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand("SELECT name, setting FROM pg_catalog.pg_settings WHERE name = ANY($1) ORDER BY name", connection)
            {
                Parameters = { new() { Value = s_carried } },
            };
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var settings = new List<string>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        settings.Add($"{reader.GetString(0)}={int.Parse(reader.GetString(1), CultureInfo.InvariantCulture)}");
                    }

                    return settings;
                }
            }
        }
    }
}
