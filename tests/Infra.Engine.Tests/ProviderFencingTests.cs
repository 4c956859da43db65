using Infra.Automation;
using Infra.State;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

/// <summary>
/// Provider calls are fenced like state writes (issue 8 §4): once another run has taken the stack's lock, this run
/// starts no new provider call, refresh reads included. State lives in PostgreSQL, as a team would keep it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderFencingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task An_up_whose_lock_is_taken_over_mid_run_starts_no_further_create_and_says_the_lock_was_lost()
    {
        await using var h = await HarnessAsync();
        var takenOver = 0;
        h.Cloud.Fail = (_, op) =>
        {
            // The first create runs while another run takes the lock over, as if this one had stalled past its lease.
            if (op == "create" && Interlocked.Exchange(ref takenOver, 1) == 0)
            {
                TakeOverAsync(h).GetAwaiter().GetResult();
            }

            return false;
        };

        await Assert.ThrowsAsync<LockLostException>(() => h.UpAsync(Program, new UpOptions { Parallel = 1 }));

        Assert.Single(h.Cloud.Operations, o => o.Op == "create" && o.Started);
        Assert.Equal("other-run", (await h.Stack.GetLockAsync())!.LockId);
    }

    [Fact]
    public async Task A_refresh_whose_lock_is_taken_over_mid_run_reads_nothing_more()
    {
        await using var h = await HarnessAsync();
        await h.UpAsync(Program);
        var takenOver = 0;
        h.Cloud.BeforeRead = _ =>
        {
            if (Interlocked.Exchange(ref takenOver, 1) == 0)
            {
                TakeOverAsync(h).GetAwaiter().GetResult();
            }
        };

        await Assert.ThrowsAsync<LockLostException>(() => h.Stack.RefreshAsync(new RefreshOptions { Parallel = 1 }));

        Assert.Single(h.Cloud.Reads);
    }

    [Fact]
    public async Task A_run_that_holds_its_lock_passes_the_fence_on_every_call()
    {
        await using var h = await HarnessAsync();

        await h.UpAsync(Program);
        await h.RefreshAsync();

        Assert.Equal(3, h.Cloud.Operations.Count(o => o.Op == "create" && o.Started));
        Assert.Equal(3, h.Cloud.Reads.Count);
    }

    private static void Program(StackContext ctx)
    {
        _ = new TestResource("a", new TestResourceArgs { Value = "1" });
        _ = new TestResource("b", new TestResourceArgs { Value = "2" });
        _ = new TestResource("c", new TestResourceArgs { Value = "3" });
    }

    private async Task<Harness> HarnessAsync()
    {
        var database = await postgres.Server.CreateDatabaseAsync("fence");
        return await Harness.CreateAsync(postgres.Server.Url(database));
    }

    /// <summary>What a second run does once it judges this one gone: the lock changes hands under this run's feet.</summary>
    private static async Task TakeOverAsync(Harness h)
    {
        var backend = h.Project.Workspace.Backend;
        await backend.ForceReleaseLockAsync("dev", default);
        var other = new LockInfo { LockId = "other-run", Owner = "ci", Host = "build-agent-9", Pid = 77 };
        Assert.True((await backend.TryAcquireLockAsync("dev", other, TimeSpan.FromMinutes(5), static _ => false, default)).Acquired);
    }
}
