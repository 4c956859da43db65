using Infra.Automation;
using Infra.State.Postgres;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Engine.Tests;

/// <summary>
/// The state database goes away in the middle of an up, as in a PostgreSQL restart: every connection of the state
/// database is cut and new ones are refused until it is back. The run fails, and the stack's lock it held must not
/// outlive it: once the database is back and the lease has run out, the next run takes the stack.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackendOutageTests(PostgresFixture postgres)
{
    private static readonly TimeSpan s_lease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task An_up_cut_off_from_its_backend_mid_run_leaves_no_lock_renewed_once_the_backend_is_back()
    {
        var database = await postgres.Server.CreateDatabaseAsync("outage");
        var cloud = new TestCloud();
        await using var project = await TestProject.CreateAsync(backendUrl: postgres.Server.Url(database), providers: [new TestProviderFactory(cloud)]);
        await using var workspace = await Workspace.OpenAsync(project.Workspace.Options with { LockLease = s_lease });
        var stack = await workspace.CreateStackAsync("dev");
        var cut = 0;
        var failing = StackProgram.FromDelegate(ctx =>
        {
            // The database goes away while the run previews, and the preview fails (as a provider's check meeting the
            // restart would): the run ends before it could record its end.
            if (Interlocked.Exchange(ref cut, 1) == 0)
            {
                SetReachableAsync(database, false).GetAwaiter().GetResult();
            }

            _ = new TestResource("a", new TestResourceArgs { Value = "invalid" });
        });

        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => stack.UpAsync(new UpOptions { Program = failing }));
        }
        finally
        {
            await SetReachableAsync(database, true);
        }

        // Long enough for a lease left behind to end, and for a heartbeat still running to have renewed it several times.
        await Task.Delay(3 * s_lease);
        await using var backend = await PostgresStateBackend.OpenAsync(postgres.Server.Url(database), default);
        var holder = await backend.GetLockAsync("dev", default);
        Assert.True(holder is null || holder.LeaseExpired, $"the failed run's lock is still renewed: {holder?.Describe()}");

        // The next run (a new workspace, as a retry in a new worker would open) takes the stack.
        await using var next = await Workspace.OpenAsync(workspace.Options);
        await (await next.SelectStackAsync("dev")).UpAsync(new UpOptions { Program = Program });
        Assert.Null(await backend.GetLockAsync("dev", default));
    }

    private static StackProgram Program { get; } = StackProgram.FromDelegate(static _ => new TestResource("a", new TestResourceArgs { Value = "1" }));

    /// <summary>
    /// What the state database looks like to the engine while PostgreSQL restarts: its sessions are terminated
    /// (57P01) and new connections are refused; then it accepts connections again.
    /// </summary>
    private async Task SetReachableAsync(string database, bool reachable)
    {
        await using var connection = new NpgsqlConnection(postgres.Server.ConnectionString());
        await connection.OpenAsync();
        await using (var allow = new NpgsqlCommand($"ALTER DATABASE \"{database}\" WITH ALLOW_CONNECTIONS {(reachable ? "true" : "false")}", connection))
        {
            await allow.ExecuteNonQueryAsync();
        }

        if (!reachable)
        {
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", connection);
            terminate.Parameters.Add(new() { Value = database });
            await terminate.ExecuteNonQueryAsync();
        }
    }
}
