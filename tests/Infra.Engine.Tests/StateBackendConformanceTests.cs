using System.Collections.Concurrent;
using Infra.Locks;
using Infra.State;
using Infra.State.Memory;
using Infra.State.Postgres;
using Infra.State.Sqlite;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

/// <summary>One suite, every backend: the same contract for stacks, fenced writes, atomic locks and history.</summary>
public abstract class StateBackendConformanceTests : IAsyncLifetime
{
    private IStateBackend? _backend;

    protected IStateBackend Backend => _backend!;

    protected abstract Task<IStateBackend> OpenAsync();

    public async Task InitializeAsync() => _backend = await OpenAsync();

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    private static string NewStack() => "s" + Guid.NewGuid().ToString("N")[..10];

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static LockInfo Holder(string id, string host = "host-a", int pid = 1) => new()
    {
        LockId = id,
        Owner = "tester",
        Host = host,
        Pid = pid,
    };

    [Fact]
    public async Task Creating_a_stack_twice_fails_and_the_stack_is_listed_once()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);

        var error = await Assert.ThrowsAnyAsync<InfraException>(() => Backend.CreateStackAsync(stack, default));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Single(await Backend.ListStacksAsync(default), s => s.Name == stack);
        Assert.NotNull(await Backend.GetStackAsync(stack, default));
        Assert.Null(await Backend.GetStackAsync(NewStack(), default));
    }

    [Fact]
    public async Task Loading_a_missing_stack_names_it()
    {
        var stack = NewStack();
        var error = await Assert.ThrowsAnyAsync<InfraException>(() => Backend.LoadAsync(stack, default));
        Assert.Contains($"'{stack}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_apply_in_order_in_one_transaction_and_bump_the_serial()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        await Backend.TryAcquireLockAsync(stack, Holder("l1"), Lease, _ => false, default);

        var serial1 = await Backend.WriteAsync(stack, "l1",
        [
            new StoredMutation.UpsertResource("urn:a", false, """{"v":1}"""),
            new StoredMutation.UpsertResource("urn:a", true, """{"v":0}"""),
            new StoredMutation.UpsertResource("urn:b", false, """{"v":2}"""),
            new StoredMutation.AddPending("p1", """{"op":"create"}"""),
            new StoredMutation.SetOutputs("""{"out":1}"""),
        ], default);
        var serial2 = await Backend.WriteAsync(stack, "l1",
        [
            new StoredMutation.UpsertResource("urn:a", false, """{"v":3}"""),
            new StoredMutation.DeleteResource("urn:a", true),
            new StoredMutation.RenameResource("urn:b", "urn:c"),
            new StoredMutation.RemovePending("p1"),
        ], default);

        var loaded = await Backend.LoadAsync(stack, default);
        Assert.Equal(serial1 + 1, serial2);
        Assert.Equal(serial2, loaded.Serial);
        Assert.Equal(["""{"v":3}""", """{"v":2}"""], loaded.Resources.Order(StringComparer.Ordinal).Reverse());
        Assert.Empty(loaded.Pending);
        Assert.Equal("""{"out":1}""", loaded.OutputsJson);
        Assert.Equal(2, (await Backend.GetStackAsync(stack, default))!.ResourceCount);
    }

    [Fact]
    public async Task Writes_without_the_lock_fail_and_change_nothing()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        await Backend.TryAcquireLockAsync(stack, Holder("owner"), Lease, _ => false, default);

        await Assert.ThrowsAsync<LockLostException>(() => Backend.WriteAsync(stack, "intruder", [new StoredMutation.UpsertResource("urn:x", false, "{}")], default));

        var loaded = await Backend.LoadAsync(stack, default);
        Assert.Empty(loaded.Resources);
        Assert.Equal(0, loaded.Serial);
    }

    [Fact]
    public async Task A_second_holder_is_refused_and_told_who_holds_the_lock()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);

        var first = await Backend.TryAcquireLockAsync(stack, Holder("l1", "build-7", 4211), Lease, _ => false, default);
        var second = await Backend.TryAcquireLockAsync(stack, Holder("l2"), Lease, _ => false, default);

        Assert.True(first.Acquired);
        Assert.False(second.Acquired);
        Assert.Equal("build-7", second.Holder!.Host);
        Assert.Equal(4211, second.Holder.Pid);
    }

    [Fact]
    public async Task Exactly_one_of_many_concurrent_lock_attempts_wins()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Backend.TryAcquireLockAsync(stack, Holder("l" + i), Lease, _ => false, default))));

        Assert.Single(attempts, a => a.Acquired);
    }

    [Fact]
    public async Task A_stale_holder_is_taken_over_and_reported()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        await Backend.TryAcquireLockAsync(stack, Holder("old"), TimeSpan.FromSeconds(-1), _ => false, default);

        var attempt = await Backend.TryAcquireLockAsync(stack, Holder("new"), Lease, StackLock.IsStale, default);

        Assert.True(attempt.TookOver);
        Assert.Equal("old", attempt.Holder!.LockId);
        await Assert.ThrowsAsync<LockLostException>(() => Backend.WriteAsync(stack, "old", [], default));
        await Backend.WriteAsync(stack, "new", [], default);
    }

    [Fact]
    public async Task A_holder_whose_clock_runs_ten_minutes_slow_keeps_its_lease_because_the_backend_sets_it()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        // The times a holder with a slow clock would claim: by everyone else's clock its lease has already ended.
        var slow = DateTimeOffset.UtcNow.AddMinutes(-10);
        await Backend.TryAcquireLockAsync(stack, Holder("slow") with { Acquired = slow, Expires = slow + Lease }, Lease, _ => false, default);

        var attempt = await Backend.TryAcquireLockAsync(stack, Holder("other"), Lease, StackLock.IsStale, default);

        Assert.False(attempt.Acquired);
        Assert.Equal("slow", attempt.Holder!.LockId);
        Assert.False(attempt.Holder.LeaseExpired);
        Assert.InRange(attempt.Holder.Expires, DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
    }

    [Fact]
    public async Task A_lease_ends_when_the_backends_clock_passes_it_whatever_the_holder_claimed()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        // A holder whose clock runs an hour fast would claim a lease an hour long.
        var fast = DateTimeOffset.UtcNow.AddHours(1);
        await Backend.TryAcquireLockAsync(stack, Holder("fast") with { Acquired = fast, Expires = fast }, TimeSpan.FromSeconds(0.5), _ => false, default);
        Assert.False((await Backend.GetLockAsync(stack, default))!.LeaseExpired);

        await WaitForLeaseEndAsync(stack);
        var attempt = await Backend.TryAcquireLockAsync(stack, Holder("next"), Lease, StackLock.IsStale, default);

        Assert.True(attempt.TookOver);
        Assert.Equal("fast", attempt.Holder!.LockId);
    }

    /// <summary>Waits (briefly) until the backend reports the lease ended; backends without a settable clock need real time.</summary>
    protected virtual async Task WaitForLeaseEndAsync(string stack)
    {
        for (var i = 0; i < 50 && (await Backend.GetLockAsync(stack, default))?.LeaseExpired == false; i++)
        {
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_holder_on_this_host_whose_process_is_gone_is_stale_even_with_a_valid_lease()
    {
        Assert.NotNull(ProcessIdentity.CurrentSpace); // Linux reports both; this suite runs on Linux.
        var dead = new LockInfo
        {
            LockId = "x", Owner = "o", Host = Environment.MachineName, Pid = int.MaxValue - 7,
            ProcessStart = ProcessIdentity.Identity("12345", ProcessIdentity.CurrentSpace),
            Acquired = DateTimeOffset.UtcNow, Expires = DateTimeOffset.UtcNow.AddHours(1),
        };
        var alive = dead with { Pid = Environment.ProcessId, ProcessStart = ProcessIdentity.CurrentStart };
        var remote = dead with { Host = "some-other-host" };

        Assert.True(StackLock.IsStale(dead));
        Assert.False(StackLock.IsStale(alive));
        Assert.False(StackLock.IsStale(remote));
    }

    [Fact]
    public void A_holder_from_another_boot_or_pid_namespace_or_that_does_not_say_is_judged_by_its_lease_only()
    {
        var dead = new LockInfo
        {
            LockId = "x", Owner = "o", Host = Environment.MachineName, Pid = int.MaxValue - 7,
            Acquired = DateTimeOffset.UtcNow, Expires = DateTimeOffset.UtcNow.AddHours(1),
        };
        var otherBoot = dead with { ProcessStart = "12345@00000000-0000-0000-0000-000000000000@pid:[4026531836]" };
        var otherNamespace = dead with { ProcessStart = ProcessIdentity.Identity("12345", ProcessIdentity.CurrentSpace?.Split('@')[0] + "@pid:[1]") };
        var legacy = dead with { ProcessStart = "12345" };

        Assert.False(StackLock.IsStale(otherBoot));
        Assert.False(StackLock.IsStale(otherNamespace));
        Assert.False(StackLock.IsStale(legacy));
        Assert.False(StackLock.IsStale(dead with { ProcessStart = null }));
        Assert.True(StackLock.IsStale(otherBoot with { LeaseExpired = true }));
    }

    [Fact]
    public void A_holder_whose_proc_entry_cannot_be_read_counts_as_alive_and_one_whose_entry_is_gone_or_reused_as_dead()
    {
        const string space = "boot@pid:[7]";
        var identity = ProcessIdentity.Identity("500", space);

        Assert.True(ProcessIdentity.IsAlive(42, identity, space, _ => (false, null)));
        Assert.True(ProcessIdentity.IsAlive(42, identity, space, _ => (true, "500")));
        Assert.False(ProcessIdentity.IsAlive(42, identity, space, _ => (true, null)));
        Assert.False(ProcessIdentity.IsAlive(42, identity, space, _ => (true, "501")));
    }

    [Fact]
    public async Task Renewal_extends_the_lease_until_the_lock_is_force_released()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        await Backend.TryAcquireLockAsync(stack, Holder("l1", host: "remote"), Lease, _ => false, default);

        Assert.True(await Backend.RenewLockAsync(stack, "l1", TimeSpan.FromMinutes(10), default));
        var released = await Backend.ForceReleaseLockAsync(stack, default);

        Assert.Equal("remote", released!.Host);
        Assert.False(await Backend.RenewLockAsync(stack, "l1", TimeSpan.FromMinutes(10), default));
        Assert.Null(await Backend.GetLockAsync(stack, default));
        Assert.True((await Backend.TryAcquireLockAsync(stack, Holder("l2"), Lease, _ => false, default)).Acquired);
    }

    [Fact]
    public async Task Removing_a_locked_stack_is_refused_and_an_unlocked_one_is_removed()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        await Backend.TryAcquireLockAsync(stack, Holder("l1"), Lease, _ => false, default);

        var error = await Assert.ThrowsAnyAsync<InfraException>(() => Backend.RemoveStackAsync(stack, default));
        Assert.Contains("locked", error.Message, StringComparison.Ordinal);

        await Backend.ReleaseLockAsync(stack, "l1", default);
        await Backend.RemoveStackAsync(stack, default);
        Assert.Null(await Backend.GetStackAsync(stack, default));
    }

    [Fact]
    public async Task Update_history_is_listed_newest_first_with_results()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        var first = await Backend.StartUpdateAsync(stack, new UpdateRecord { Kind = "update", Started = DateTimeOffset.UtcNow, User = "u", Host = "h", Pid = 1 }, default);
        var second = await Backend.StartUpdateAsync(stack, new UpdateRecord { Kind = "destroy", Started = DateTimeOffset.UtcNow, User = "u", Host = "h", Pid = 1 }, default);
        await Backend.FinishUpdateAsync(stack, first, "succeeded", """{"create":2}""", DateTimeOffset.UtcNow, default);

        var history = await Backend.ListUpdatesAsync(stack, default);

        Assert.Equal([second, first], history.Select(u => u.Id));
        Assert.Equal("in-progress", history[0].Result);
        Assert.Equal("succeeded", history[1].Result);
        Assert.Equal("""{"create":2}""", history[1].CountsJson);
        Assert.NotNull(history[1].Ended);
    }

    [Fact]
    public async Task An_update_keeps_its_config_and_program_version_and_older_records_have_none()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        const string config = "encryptionsalt: v1:abc\nconfig:\n  tenant:plan: standard\n  postgres:connectionString:\n    secure: v1:xyz\n";
        var recorded = await Backend.StartUpdateAsync(stack, new UpdateRecord
        {
            Kind = "update", Started = DateTimeOffset.UtcNow, User = "u", Host = "h", Pid = 1, Config = config, ProgramVersion = new string('a', 40),
        }, default);
        var bare = await Backend.StartUpdateAsync(stack, new UpdateRecord { Kind = "refresh", Started = DateTimeOffset.UtcNow, User = "u", Host = "h", Pid = 1 }, default);

        var history = await Backend.ListUpdatesAsync(stack, default);

        Assert.Equal(config, history.Single(u => u.Id == recorded).Config);
        Assert.Equal(new string('a', 40), history.Single(u => u.Id == recorded).ProgramVersion);
        Assert.Null(history.Single(u => u.Id == bare).Config);
        Assert.Null(history.Single(u => u.Id == bare).ProgramVersion);
    }

    [Fact]
    public async Task Concurrent_writes_from_the_holder_all_land()
    {
        var stack = NewStack();
        await Backend.CreateStackAsync(stack, default);
        await Backend.TryAcquireLockAsync(stack, Holder("l1"), Lease, _ => false, default);
        var serials = new ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            serials.Add(await Backend.WriteAsync(stack, "l1", [new StoredMutation.UpsertResource($"urn:{i}", false, "{}")], default)))));

        Assert.Equal(40, (await Backend.LoadAsync(stack, default)).Resources.Length);
        Assert.Equal(40, serials.Distinct().Count());
    }
}

public sealed class SqliteStateBackendTests : StateBackendConformanceTests
{
    protected override async Task<IStateBackend> OpenAsync() =>
        await SqliteStateBackend.OpenAsync(Path.Combine(Path.GetTempPath(), "infra-conformance", Guid.NewGuid().ToString("N"), "state.db"), default);
}

public sealed class SqliteStateMigrationTests
{
    [Fact]
    public async Task A_state_database_from_before_update_configs_gains_the_columns_and_keeps_its_history()
    {
        var path = Path.Combine(Path.GetTempPath(), "infra-conformance", Guid.NewGuid().ToString("N"), "state.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await old.OpenAsync();
            await using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE stacks (name TEXT PRIMARY KEY, serial INTEGER NOT NULL DEFAULT 0, outputs TEXT NOT NULL DEFAULT '{}', created TEXT NOT NULL, updated TEXT NOT NULL);
                CREATE TABLE updates (id INTEGER PRIMARY KEY AUTOINCREMENT, stack TEXT NOT NULL REFERENCES stacks(name) ON DELETE CASCADE, kind TEXT NOT NULL,
                    started TEXT NOT NULL, ended TEXT, result TEXT NOT NULL, counts TEXT NOT NULL, user_name TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL);
                INSERT INTO stacks VALUES ('old', 3, '{}', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
                INSERT INTO updates (stack, kind, started, result, counts, user_name, host, pid) VALUES ('old', 'update', '2025-01-01T00:00:00Z', 'succeeded', '{}', 'u', 'h', 1);
                """;
            await create.ExecuteNonQueryAsync();
        }

        await using var backend = await SqliteStateBackend.OpenAsync(path, default);
        var id = await backend.StartUpdateAsync("old", new UpdateRecord { Kind = "update", Started = DateTimeOffset.UtcNow, User = "u", Host = "h", Pid = 1, Config = "config: {}\n" }, default);
        var history = await backend.ListUpdatesAsync("old", default);

        Assert.Equal(2, history.Count);
        Assert.Null(history[1].Config);
        Assert.Equal("config: {}\n", history.Single(u => u.Id == id).Config);
    }
}

public sealed class InMemoryStateBackendTests : StateBackendConformanceTests
{
    private readonly SkewedClock _clock = new();

    protected override Task<IStateBackend> OpenAsync() => Task.FromResult<IStateBackend>(new InMemoryStateBackend(_clock));

    [Fact]
    public async Task A_live_holders_lease_ends_when_the_backends_clock_passes_it_not_the_holders()
    {
        await Backend.CreateStackAsync("dev", default);
        await using var holder = await StackLock.AcquireAsync(Backend, "dev", "update", TimeSpan.FromMinutes(1), default);
        await Assert.ThrowsAsync<StackLockedException>(() => StackLock.AcquireAsync(Backend, "dev", "update", null, default));

        // Two minutes pass for the backend only; this process's clock (and its live PID) say nothing.
        _clock.Offset = TimeSpan.FromMinutes(2);
        await using var next = await StackLock.AcquireAsync(Backend, "dev", "update", null, default);

        Assert.Equal(holder.Info.LockId, next.Displaced!.LockId);
    }

    private sealed class SkewedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStateBackendTests(PostgresFixture postgres) : StateBackendConformanceTests
{
    protected override async Task<IStateBackend> OpenAsync()
    {
        var database = await postgres.Server.CreateDatabaseAsync("state");
        return await PostgresStateBackend.OpenAsync(postgres.Server.Url(database), default);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
