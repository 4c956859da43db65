using Infra.Locks;
using Infra.State;
using Infra.State.Sqlite;
using Microsoft.Data.Sqlite;

namespace Infra.Engine.Tests;

/// <summary>
/// The SQLite backend's writers of one process take turns at an in-process gate before SQLite's write lock, in the
/// order they asked; SQLite's own busy wait stays for other processes, with a clear error when it runs out.
/// </summary>
public sealed class SqliteWriterGateTests : IDisposable
{
    private static readonly TimeSpan s_shortBusyTimeout = TimeSpan.FromMilliseconds(200);
    private readonly ScratchStateFile _file = new();

    private string DatabasePath => _file.DatabasePath;

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Writers_waiting_for_their_turn_get_it_in_the_order_they_asked()
    {
        var gate = SqliteWriterGate.Join(DatabasePath);
        try
        {
            await gate.EnterAsync(TimeSpan.FromMinutes(1), default);
            var order = new List<int>();
            var waiters = Enumerable.Range(0, 6).Select(async i =>
            {
                await gate.EnterAsync(TimeSpan.FromMinutes(1), default);
                lock (order)
                {
                    order.Add(i);
                }

                gate.Exit();
            }).ToList();

            Assert.Empty(order);
            gate.Exit();
            await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromMinutes(1));

            Assert.Equal([0, 1, 2, 3, 4, 5], order);
        }
        finally
        {
            gate.Leave();
        }
    }

    [Fact]
    public async Task Two_backends_on_one_file_in_one_process_share_one_turn_to_write()
    {
        await using var first = await SqliteStateBackend.OpenAsync(DatabasePath, default);
        await using var second = await SqliteStateBackend.OpenAsync(DatabasePath, default);
        var turn = await first.RentWriteSessionAsync(default);

        var create = second.CreateStackAsync("dev", default);
        await Task.Delay(300);
        Assert.False(create.IsCompleted, "a writer of the second backend went ahead while the first backend's writer held the turn");

        await turn.DisposeAsync();
        await create.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.NotNull(await first.GetStackAsync("dev", default));
    }

    [Fact]
    public async Task A_writer_still_waiting_for_its_turn_after_the_busy_timeout_fails_with_an_error_naming_the_database()
    {
        await using var backend = await SqliteStateBackend.OpenAsync(DatabasePath, fullSync: true, s_shortBusyTimeout, default);
        var turn = await backend.RentWriteSessionAsync(default);

        var error = await Assert.ThrowsAsync<InfraException>(() => backend.CreateStackAsync("dev", default));

        Assert.Contains($"'{Path.GetFullPath(DatabasePath)}' stayed busy for 0.2 s", error.Message, StringComparison.Ordinal);
        await turn.DisposeAsync();
        await backend.CreateStackAsync("dev", default);
    }

    [Fact]
    public async Task A_write_fails_with_an_error_naming_the_database_when_another_process_holds_its_write_lock_past_the_busy_timeout()
    {
        await using var backend = await SqliteStateBackend.OpenAsync(DatabasePath, fullSync: true, s_shortBusyTimeout, default);
        await backend.CreateStackAsync("dev", default);
        await using var held = await StackLock.AcquireAsync(backend, "dev", "update", null, default);
        // Another process's writer, as SQLite sees it: a connection of its own, outside this process's gate.
        await using (var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString()))
        {
            await other.OpenAsync();
            await using var lockHeld = other.BeginTransaction(deferred: false);

            var error = await Assert.ThrowsAsync<InfraException>(() =>
                backend.WriteAsync("dev", held.Info.LockId, [new StoredMutation.UpsertResource("urn:a", false, "{}")], default));

            Assert.Contains($"'{DatabasePath}' is locked by another process", error.Message, StringComparison.Ordinal);
            Assert.IsType<SqliteException>(error.InnerException);
        }

        // The failed writer gave its turn back: the next write goes through once the other process is done.
        Assert.Equal(1, await backend.WriteAsync("dev", held.Info.LockId, [new StoredMutation.UpsertResource("urn:a", false, "{}")], default));
    }
}
