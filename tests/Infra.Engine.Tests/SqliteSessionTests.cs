using System.Data.Common;
using Infra.Locks;
using Infra.State;
using Infra.State.Sqlite;

namespace Infra.Engine.Tests;

/// <summary>The SQLite backend keeps its connections open between calls: settings once per connection, statements parsed once.</summary>
public sealed class SqliteSessionTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "infra-conformance", Guid.NewGuid().ToString("N"), "state.db");
    private SqliteStateBackend? _backend;

    private SqliteStateBackend Backend => _backend!;

    public async Task InitializeAsync() => _backend = await SqliteStateBackend.OpenAsync(_path, default);

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    [Fact]
    public async Task A_connection_reused_by_many_calls_still_syncs_fully_waits_for_the_write_lock_and_enforces_foreign_keys()
    {
        await Backend.CreateStackAsync("dev", default);
        for (var i = 0; i < 20; i++)
        {
            await Backend.GetStackAsync("dev", default);
            await Backend.LoadAsync("dev", default);
        }

        await using var session = await Backend.RentSessionAsync(default);

        Assert.Equal(1, Backend.ConnectionsOpened);
        Assert.Equal(2L, await ScalarAsync(session.Connection, "PRAGMA synchronous")); // 2 is FULL
        Assert.Equal(60000L, await ScalarAsync(session.Connection, "PRAGMA busy_timeout"));
        Assert.Equal(1L, await ScalarAsync(session.Connection, "PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task Repeated_calls_reuse_their_prepared_commands_and_bind_each_calls_own_values()
    {
        foreach (var stack in new[] { "a", "b" })
        {
            await Backend.CreateStackAsync(stack, default);
            await using var held = await StackLock.AcquireAsync(Backend, stack, "update", null, default);
            await Backend.WriteAsync(stack, held.Info.LockId, [new StoredMutation.UpsertResource($"urn:{stack}", false, $"{{\"{stack}\":1}}")], default);
        }

        async Task ReadBothAsync()
        {
            Assert.Equal("{\"a\":1}", Assert.Single((await Backend.LoadAsync("a", default)).Resources));
            Assert.Equal("{\"b\":1}", Assert.Single((await Backend.LoadAsync("b", default)).Resources));
            Assert.Equal(1, (await Backend.GetStackAsync("b", default))!.ResourceCount);
        }

        await ReadBothAsync();
        int commands;
        await using (var first = await Backend.RentSessionAsync(default))
        {
            commands = first.CommandCount;
        }

        for (var i = 0; i < 5; i++)
        {
            await ReadBothAsync();
        }

        await using var again = await Backend.RentSessionAsync(default);
        Assert.Equal(commands, again.CommandCount);
        Assert.Equal(1, Backend.ConnectionsOpened);
    }

    [Fact]
    public async Task Many_concurrent_journal_writes_land_in_order_on_a_few_kept_connections()
    {
        var stacks = Enumerable.Range(0, 8).Select(i => $"s{i}").ToArray();
        await Task.WhenAll(stacks.Select(async stack =>
        {
            await Backend.CreateStackAsync(stack, default);
            await using var held = await StackLock.AcquireAsync(Backend, stack, "update", null, default);
            for (var i = 0; i < 25; i++)
            {
                await Backend.WriteAsync(stack, held.Info.LockId,
                [
                    new StoredMutation.AddPending($"op{i}", "{}"),
                    new StoredMutation.UpsertResource($"urn:{i:00}", false, $"{{\"i\":{i}}}"),
                    new StoredMutation.RemovePending($"op{i}"),
                ], default);
            }
        }));

        foreach (var stack in stacks)
        {
            var snapshot = await Backend.LoadAsync(stack, default);
            Assert.Equal(25, snapshot.Serial);
            Assert.Equal(Enumerable.Range(0, 25).Select(i => $"{{\"i\":{i}}}"), snapshot.Resources.ToArray());
            Assert.Empty(snapshot.Pending);
            Assert.Null(await Backend.GetLockAsync(stack, default));
        }

        Assert.InRange(Backend.ConnectionsOpened, 1, SqliteSessions.MaxIdle);
    }

    [Fact]
    public async Task A_connection_given_back_inside_a_transaction_is_closed_and_never_lent_again()
    {
        await Backend.CreateStackAsync("dev", default);
        var session = await Backend.RentSessionAsync(default);
        var transaction = await session.Connection.BeginTransactionAsync();
        await session.DisposeAsync();
        var opened = Backend.ConnectionsOpened;

        await using var next = await Backend.RentSessionAsync(default);

        Assert.Equal(opened + 1, Backend.ConnectionsOpened);
        Assert.NotSame(session.Connection, next.Connection);
        await transaction.DisposeAsync();
    }

    [Fact]
    public async Task Disposing_the_backend_closes_its_kept_connections_so_the_write_ahead_log_is_folded_back()
    {
        await Backend.CreateStackAsync("dev", default);
        await Backend.LoadAsync("dev", default);
        Assert.True(File.Exists(_path + "-wal"));

        await Backend.DisposeAsync();

        Assert.False(File.Exists(_path + "-wal"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Backend.GetStackAsync("dev", default));
        _backend = await SqliteStateBackend.OpenAsync(_path, default);
        Assert.NotNull(await Backend.GetStackAsync("dev", default));
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
