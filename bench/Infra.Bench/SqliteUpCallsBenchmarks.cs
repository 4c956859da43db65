using System.Diagnostics;
using Infra.Locks;
using Infra.State;
using Infra.State.Sqlite;

namespace Infra.Bench;

/// <summary>
/// The CPU the SQLite state backend costs one tenant up: the calls an up of the GitOps render's tenant stack makes
/// (stack look-ups, the lock, the history record, the load, a fence and two journal commits per custom resource,
/// the outputs, the release), for many stacks 8 at a time on one backend as the onboarding service runs them. The
/// figure is this process's CPU per up, so that a change to the backend is measured without helm's and git's noise.
/// The state commits per up, and the wall time against the same ups one at a time, show what the group commit
/// shares between concurrent stacks.
/// </summary>
internal static class SqliteUpCallsBenchmarks
{
    private const int Parallel = 8;
    private const int CustomResources = 3;

    public static async Task RunAsync(bool quick)
    {
        var ups = quick ? 200 : 1000;
        // The baseline: the same ups one at a time, so that no two writes can share a commit.
        var serialUps = ups / 5;
        var folder = Directory.CreateTempSubdirectory("infra-bench-sqlite-ups-");
        try
        {
            await using var backend = await SqliteStateBackend.OpenAsync(Path.Combine(folder.FullName, "state.db"), CancellationToken.None).ConfigureAwait(false);
            var stacks = Enumerable.Range(0, Parallel + ups + serialUps).Select(i => $"tenant-{i}").ToArray();
            foreach (var stack in stacks)
            {
                await backend.CreateStackAsync(stack, CancellationToken.None).ConfigureAwait(false);
            }

            // Warm-up, not counted: the JIT and the backend's first connections.
            await Task.WhenAll(stacks[..Parallel].Select(stack => UpAsync(backend, stack))).ConfigureAwait(false);
            var parallel = await MeasureAsync(backend, stacks[Parallel..(Parallel + ups)], Parallel).ConfigureAwait(false);
            var serial = await MeasureAsync(backend, stacks[(Parallel + ups)..], 1).ConfigureAwait(false);
            Figure.Print("state.sqlite.up_calls.cpu_per_up", parallel.Cpu.TotalMilliseconds / ups, "ms");
            Figure.Print("state.sqlite.up_calls.wall_per_up", parallel.Wall.TotalMilliseconds / ups, "ms");
            Figure.Print("state.sqlite.up_calls.commits_per_up", (double)parallel.Commits / ups, "commits");
            Figure.Print("state.sqlite.up_calls.serial.wall_per_up", serial.Wall.TotalMilliseconds / serialUps, "ms");
            Figure.Print("state.sqlite.up_calls.serial.commits_per_up", (double)serial.Commits / serialUps, "commits");
            Figure.Print("state.sqlite.up_calls.wall_per_up_vs_serial",
                parallel.Wall.TotalMilliseconds / ups / (serial.Wall.TotalMilliseconds / serialUps), "x");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Runs an up of each of <paramref name="stacks"/>, <paramref name="parallel"/> at a time.</summary>
    private static async Task<(TimeSpan Cpu, TimeSpan Wall, long Commits)> MeasureAsync(SqliteStateBackend backend, string[] stacks, int parallel)
    {
        using var slots = new SemaphoreSlim(parallel);
        var commits = backend.Commits.Commits;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(stacks.Select(async stack =>
        {
            await slots.WaitAsync().ConfigureAwait(false);
            try
            {
                await UpAsync(backend, stack).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu, clock.Elapsed, backend.Commits.Commits - commits);
    }

    private static async Task UpAsync(SqliteStateBackend backend, string stack)
    {
        var none = CancellationToken.None;
        await backend.GetStackAsync(stack, none).ConfigureAwait(false);
        await backend.GetStackAsync(stack, none).ConfigureAwait(false);
        await using var held = await StackLock.AcquireAsync(backend, stack, "update", null, none).ConfigureAwait(false);
        await backend.ListUpdatesAsync(stack, none).ConfigureAwait(false);
        var update = await backend.StartUpdateAsync(stack, new UpdateRecord
        {
            Kind = "update", Started = DateTimeOffset.UtcNow, User = "bench", Host = "bench", Pid = Environment.ProcessId, Config = "config: {}\n",
        }, none).ConfigureAwait(false);
        await backend.LoadAsync(stack, none).ConfigureAwait(false);
        await backend.WriteAsync(stack, held.Info.LockId, [new StoredMutation.UpsertResource($"urn:{stack}::stack", false, "{}")], none).ConfigureAwait(false);
        for (var i = 0; i < CustomResources; i++)
        {
            await held.EnsureHeldAsync(none).ConfigureAwait(false);
            await backend.WriteAsync(stack, held.Info.LockId, [new StoredMutation.AddPending($"op{i}", "{\"type\":\"create\"}")], none).ConfigureAwait(false);
            await backend.WriteAsync(stack, held.Info.LockId,
                [new StoredMutation.RemovePending($"op{i}"), new StoredMutation.UpsertResource($"urn:{stack}::r{i}", false, "{\"outputs\":{}}")], none).ConfigureAwait(false);
        }

        await backend.WriteAsync(stack, held.Info.LockId, [new StoredMutation.SetOutputs("{\"namespace\":\"x\"}")], none).ConfigureAwait(false);
        await backend.FinishUpdateAsync(stack, update, "succeeded", "{\"create\":4}", DateTimeOffset.UtcNow, none).ConfigureAwait(false);
    }
}
