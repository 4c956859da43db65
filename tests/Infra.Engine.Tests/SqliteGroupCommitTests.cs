using Infra.Locks;
using Infra.State;
using Infra.State.Sql;
using Infra.State.Sqlite;
using Microsoft.Data.Sqlite;

namespace Infra.Engine.Tests;

/// <summary>
/// Concurrent state writes of one process to one SQLite file share commits: those that queue while a commit runs go
/// in the next one together, and each still succeeds or fails on its own.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromMinutes(1);
    private readonly ScratchStateFile _file = new();

    private string DatabasePath => _file.DatabasePath;

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Writes_that_queue_while_a_commit_runs_share_the_next_commit_and_all_land()
    {
        await using var backend = await SqliteStateBackend.OpenAsync(DatabasePath, default);
        var locks = await CreateLockedStacksAsync(backend, 12);
        var commitsBefore = backend.Commits.Commits;
        var (turn, first) = await HoldTurnBehindFirstWriteAsync(backend, locks[0]);
        var rest = locks.Skip(1).Select(held => Upsert(backend, held, "urn:rest")).ToList();
        await WaitUntilAsync(() => backend.Commits.Waiting == rest.Count);
        await turn.DisposeAsync();
        await Task.WhenAll([first, .. rest]).WaitAsync(s_wait);

        Assert.Equal(2, backend.Commits.Commits - commitsBefore);
        foreach (var held in locks)
        {
            var snapshot = await backend.LoadAsync(held.Stack, default);
            Assert.Single(snapshot.Resources);
        }

        await ReleaseAsync(locks);
    }

    [Fact]
    public async Task A_write_that_fails_in_a_group_fails_alone_and_the_others_of_its_group_land()
    {
        await using var backend = await SqliteStateBackend.OpenAsync(DatabasePath, default);
        var locks = await CreateLockedStacksAsync(backend, 3);
        var (turn, blocker) = await HoldTurnBehindFirstWriteAsync(backend, locks[0]);

        var before = Upsert(backend, locks[1], "urn:before");
        var lost = backend.WriteAsync(locks[2].Stack, "not-the-lock-id", [Resource("urn:lost")], default);
        var after = Upsert(backend, locks[2], "urn:after");
        await WaitUntilAsync(() => backend.Commits.Waiting == 3);
        await turn.DisposeAsync();

        await Assert.ThrowsAsync<LockLostException>(() => lost.WaitAsync(s_wait));
        await Task.WhenAll(blocker, before, after).WaitAsync(s_wait);
        Assert.Equal(["urn:after"], (await backend.LoadAsync(locks[2].Stack, default)).Resources.Select(UrnOf));
        Assert.Equal(["urn:before"], (await backend.LoadAsync(locks[1].Stack, default)).Resources.Select(UrnOf));
        await ReleaseAsync(locks);
    }

    [Fact]
    public async Task A_write_cancelled_while_it_waits_for_a_commit_leaves_the_queue_and_writes_nothing()
    {
        await using var backend = await SqliteStateBackend.OpenAsync(DatabasePath, default);
        var locks = await CreateLockedStacksAsync(backend, 2);
        var (turn, blocker) = await HoldTurnBehindFirstWriteAsync(backend, locks[0]);

        using var cancel = new CancellationTokenSource();
        var cancelled = backend.WriteAsync(locks[1].Stack, locks[1].Info.LockId, [Resource("urn:cancelled")], cancel.Token);
        await WaitUntilAsync(() => backend.Commits.Waiting == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(s_wait));
        Assert.Equal(0, backend.Commits.Waiting);
        await turn.DisposeAsync();
        await blocker.WaitAsync(s_wait);
        Assert.Empty((await backend.LoadAsync(locks[1].Stack, default)).Resources);
        await ReleaseAsync(locks);
    }

    [Fact]
    public async Task Under_concurrent_writes_and_cancellations_each_write_either_lands_or_is_cancelled_and_none_hangs()
    {
        await using var backend = await SqliteStateBackend.OpenAsync(DatabasePath, default);
        var locks = await CreateLockedStacksAsync(backend, 8);
        var random = new Random(20261202);
        var writes = new List<(string Stack, string Urn, Task Write)>();
        var cancellations = new List<CancellationTokenSource>();
        for (var i = 0; i < 400; i++)
        {
            var held = locks[i % locks.Count];
            var cancel = new CancellationTokenSource();
            cancellations.Add(cancel);
            var urn = $"urn:w{i}";
            writes.Add((held.Stack, urn, backend.WriteAsync(held.Stack, held.Info.LockId, [Resource(urn)], cancel.Token)));
            if (random.Next(4) == 0)
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(random.Next(3)));
            }
        }

        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w.Write.WaitAsync(s_wait);
                return (w.Stack, w.Urn, Landed: true);
            }
            catch (OperationCanceledException)
            {
                return (w.Stack, w.Urn, Landed: false);
            }
        }));

        // Both outcomes happened, so the run proved something about each.
        Assert.Contains(outcomes, o => o.Landed);
        Assert.Contains(outcomes, o => !o.Landed);
        foreach (var group in outcomes.GroupBy(o => o.Stack))
        {
            var stored = (await backend.LoadAsync(group.Key, default)).Resources.Select(UrnOf).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(group.Where(o => o.Landed).Select(o => o.Urn).Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        }

        Assert.Equal(0, backend.Commits.Waiting);
        cancellations.ForEach(c => c.Dispose());
        await ReleaseAsync(locks);
    }

    [Fact]
    public async Task A_group_that_cannot_begin_fails_every_write_in_it_with_the_cause_and_writes_nothing()
    {
        await using var backend = await SqliteStateBackend.OpenAsync(DatabasePath, fullSync: true, TimeSpan.FromMilliseconds(200), default);
        var locks = await CreateLockedStacksAsync(backend, 3);
        // Another process's writer, as SQLite sees it, holds the database's write lock past the busy timeout.
        await using (var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString()))
        {
            await other.OpenAsync();
            await using var lockHeld = other.BeginTransaction(deferred: false);

            var writes = locks.Select(held => Upsert(backend, held, "urn:refused")).ToList();

            foreach (var write in writes)
            {
                var error = await Assert.ThrowsAsync<InfraException>(() => write.WaitAsync(s_wait));
                Assert.Contains("is locked by another process", error.Message, StringComparison.Ordinal);
            }
        }

        foreach (var held in locks)
        {
            Assert.Empty((await backend.LoadAsync(held.Stack, default)).Resources);
        }

        await ReleaseAsync(locks);
    }

    [Fact]
    public async Task A_backend_with_weaker_durability_never_shares_a_commit_with_one_that_syncs_every_commit()
    {
        await using var full = await SqliteStateBackend.OpenAsync(DatabasePath, fullSync: true, default);
        await using var normal = await SqliteStateBackend.OpenAsync(DatabasePath, fullSync: false, default);
        var locks = await CreateLockedStacksAsync(full, 4);
        var commitsBefore = full.Commits.Commits;
        var (turn, blocker) = await HoldTurnBehindFirstWriteAsync(full, locks[0]);

        // Queued as full, normal, full: three groups, since a group keeps the order and never mixes the two.
        var writes = new[] { Upsert(full, locks[1], "urn:a"), Upsert(normal, locks[2], "urn:b"), Upsert(full, locks[3], "urn:c") };
        await WaitUntilAsync(() => full.Commits.Waiting == 3);
        await turn.DisposeAsync();
        await Task.WhenAll([blocker, .. writes]).WaitAsync(s_wait);

        Assert.Same(full.Commits, normal.Commits);
        Assert.Equal(4, full.Commits.Commits - commitsBefore);
        await ReleaseAsync(locks);
    }

    /// <summary>
    /// Holds this process's turn to write, then starts a first write: the committer takes it at once and waits at the
    /// gate, so every write started next queues for the following group until the turn is given back.
    /// </summary>
    private static async Task<(SqlSession Turn, Task<long> First)> HoldTurnBehindFirstWriteAsync(SqliteStateBackend backend, StackLock held)
    {
        var turn = await backend.RentWriteSessionAsync(default);
        var first = Upsert(backend, held, "urn:first");
        await WaitUntilAsync(() => backend.Commits.Waiting == 0);
        return (turn, first);
    }

    private static Task<long> Upsert(SqliteStateBackend backend, StackLock held, string urn) =>
        backend.WriteAsync(held.Stack, held.Info.LockId, [Resource(urn)], default);

    private static StoredMutation.UpsertResource Resource(string urn) => new(urn, false, $$"""{"urn":"{{urn}}"}""");

    private static async Task ReleaseAsync(List<StackLock> locks)
    {
        foreach (var held in locks)
        {
            await held.DisposeAsync();
        }
    }

    private static string UrnOf(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("urn").GetString()!;

    private static async Task<List<StackLock>> CreateLockedStacksAsync(SqliteStateBackend backend, int count)
    {
        var locks = new List<StackLock>();
        for (var i = 0; i < count; i++)
        {
            await backend.CreateStackAsync($"s{i}", default);
            locks.Add(await StackLock.AcquireAsync(backend, $"s{i}", "update", null, default));
        }

        return locks;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the group commit's queue did not reach the expected state within a minute");
            await Task.Delay(10);
        }
    }
}
