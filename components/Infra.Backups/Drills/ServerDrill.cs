using System.Diagnostics;
using Infra.Providers.Postgres.Archive;
using Npgsql;

namespace Infra.Backups.Drills;

/// <summary>A tenant database the server drill checks, and the tenant's own login (the comparison runs with its rights).</summary>
/// <param name="Stack">The tenant's stack.</param>
/// <param name="Database">Its database.</param>
/// <param name="Login">The tenant's login on the live server.</param>
public sealed record ServerDrillTenant(string Stack, string Database, NpgsqlConnectionStringBuilder Login);

/// <summary>What the server drill found for one tenant database in the restored copy.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Exists">Whether the database exists in the copy.</param>
/// <param name="Tables">How many tables the copy holds.</param>
/// <param name="Rows">How many rows the copy holds.</param>
/// <param name="Differences">How the copy differs from the live database as it was at the target time; empty when it matches.</param>
public sealed record ServerDrillTenantResult(ServerDrillTenant Tenant, bool Exists, int Tables, long Rows, IReadOnlyList<string> Differences)
{
    /// <summary>True when the database exists and matches.</summary>
    public bool Matches => Exists && Differences.Count == 0;
}

/// <summary>What a server drill did.</summary>
/// <param name="Target">The point in time restored to (the server's clock).</param>
/// <param name="RestoreTime">From the restore's start until the copy accepted connections.</param>
/// <param name="Tenants">Each tenant database, in the order given.</param>
public sealed record ServerDrillResult(DateTimeOffset Target, TimeSpan RestoreTime, IReadOnlyList<ServerDrillTenantResult> Tenants)
{
    /// <summary>Where the drill's time went, phase by phase, so a slow drill says which part to make faster.</summary>
    public required ServerDrillPhases Phases { get; init; }
}

/// <summary>The time each phase of a server drill took.</summary>
/// <param name="ReadLive">Reading every tenant's tables on the live server.</param>
/// <param name="MarkTarget">Taking the target time and waiting until the archive holds its WAL (<c>pgbackrest check</c>).</param>
/// <param name="RestoreFiles">pgBackRest writing the copy's data directory from the last full backup.</param>
/// <param name="Recovery">Starting the copy until it has replayed WAL to the target and promoted.</param>
/// <param name="Compare">Reading every tenant's tables in the copy.</param>
public sealed record ServerDrillPhases(TimeSpan ReadLive, TimeSpan MarkTarget, TimeSpan RestoreFiles, TimeSpan Recovery, TimeSpan Compare);

/// <summary>
/// A point-in-time recovery drill of the whole tenants' server: it reads every tenant database's tables (row counts and
/// checksums, as the tenant), takes the server's clock as the target time, commits one transaction after it and waits
/// until the archive holds that WAL (<c>pgbackrest check</c>), so recovery can reach the target; then restores the
/// stanza to that time into a new data directory (<see cref="RestoredServer"/>), starts it on its own port, checks
/// that each tenant database exists there with the same rows, and stops and deletes the copy whatever happens.
/// </summary>
/// <remarks>
/// The live tables are read just before the target time is taken: a write that commits in between shows up as a
/// difference, so the drill is exact on a quiet server and may report such a table on a busy one.
/// </remarks>
public static class ServerDrill
{
    /// <summary>
    /// How many tenants' tables are read at once: each read waits mostly on its own connection's authentication and
    /// the server, so a few overlap well without crowding a server that is also serving tenants.
    /// </summary>
    private const int ParallelReads = 4;

    /// <summary>Runs the drill.</summary>
    /// <param name="stanza">The stanza the server archives into.</param>
    /// <param name="admin">The live server's admin connection.</param>
    /// <param name="tenants">The tenant databases to check.</param>
    /// <param name="port">The port the copy listens on.</param>
    /// <param name="scratchRoot">Where the copy's data directory is made (the stanza's account must be able to enter it).</param>
    /// <param name="cancellationToken">Cancels the drill; the copy is still stopped and deleted.</param>
    /// <exception cref="InfraException">pgBackRest or pg_ctl failed.</exception>
    public static async Task<ServerDrillResult> RunAsync(
        PgBackRestStanza stanza, NpgsqlConnectionStringBuilder admin, IReadOnlyList<ServerDrillTenant> tenants, int port, string scratchRoot,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(tenants);
        var phase = Stopwatch.StartNew();
        var live = await ReadAllAsync(tenants, static tenant => tenant.Login, cancellationToken).ConfigureAwait(false);

        var readLive = phase.Elapsed;
        phase.Restart();
        var target = await MarkTargetAsync(admin, cancellationToken).ConfigureAwait(false);
        await stanza.RunAsync("check", [], cancellationToken).ConfigureAwait(false);
        var markTarget = phase.Elapsed;

        var clock = Stopwatch.StartNew();
        var copy = await RestoredServer.RestoreAsync(stanza, admin, target, port, scratchRoot, cancellationToken).ConfigureAwait(false);
        await using (copy.ConfigureAwait(false))
        {
            var restoreTime = clock.Elapsed;
            phase.Restart();
            var databases = await DatabasesAsync(copy.Reach(admin), cancellationToken).ConfigureAwait(false);
            var present = Enumerable.Range(0, tenants.Count).Where(i => databases.Contains(tenants[i].Database)).ToList();
            var restored = await ReadAllAsync([.. present.Select(i => tenants[i])], tenant => copy.Reach(tenant.Login), cancellationToken).ConfigureAwait(false);
            var results = tenants
                .Select(static tenant => new ServerDrillTenantResult(tenant, false, 0, 0, [$"database '{tenant.Database}' is missing from the restored server"]))
                .ToList();
            foreach (var (i, copied) in present.Zip(restored))
            {
                results[i] = new ServerDrillTenantResult(tenants[i], true, copied.Count, copied.Sum(static t => t.Rows), TableChecksums.Differences(live[i], copied));
            }

            return new ServerDrillResult(target, restoreTime, results)
            {
                Phases = new ServerDrillPhases(readLive, markTarget, copy.FilesRestored, restoreTime - copy.FilesRestored, phase.Elapsed),
            };
        }
    }

    /// <summary>
    /// Each tenant's tables, read as the tenant (<paramref name="login"/>: on the live server or the copy), a few tenants
    /// at a time: every read is its own connection to its own database, so they overlap instead of queueing.
    /// </summary>
    private static async Task<IReadOnlyList<TableChecksum>[]> ReadAllAsync(
        IReadOnlyList<ServerDrillTenant> tenants, Func<ServerDrillTenant, NpgsqlConnectionStringBuilder> login, CancellationToken cancellationToken)
    {
        var tables = new IReadOnlyList<TableChecksum>[tenants.Count];
        await Parallel.ForAsync(0, tenants.Count, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (i, token) => tables[i] = await TableChecksums.ReadAsync(login(tenants[i]), tenants[i].Database, token).ConfigureAwait(false)).ConfigureAwait(false);
        return tables;
    }

    /// <summary>The server's clock as the target, then a commit after it: recovery to a time stops at the first commit past it, and fails when none was archived.</summary>
    private static async Task<DateTimeOffset> MarkTargetAsync(NpgsqlConnectionStringBuilder admin, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Pooling = false, ApplicationName = "infra dr drill" }.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var now = new NpgsqlCommand("SELECT pg_catalog.clock_timestamp()", connection);
            DateTimeOffset target;
            await using (now.ConfigureAwait(false))
            {
                target = new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await now.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!, DateTimeKind.Utc));
            }

            // Timestamps have microseconds; the commit must come strictly after the target.
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
            var commit = new NpgsqlCommand("SELECT pg_catalog.pg_current_xact_id()", connection);
            await using (commit.ConfigureAwait(false))
            {
                await commit.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            return target;
        }
    }

    private static async Task<HashSet<string>> DatabasesAsync(NpgsqlConnectionStringBuilder admin, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(admin.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand("SELECT datname FROM pg_catalog.pg_database", connection);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        names.Add(reader.GetString(0));
                    }

                    return names;
                }
            }
        }
    }
}
