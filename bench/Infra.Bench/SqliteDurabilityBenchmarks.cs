using System.Diagnostics;
using Infra.State;
using Infra.State.Sqlite;

namespace Infra.Bench;

/// <summary>
/// What <c>synchronous=FULL</c> (a commit survives a power loss) costs the SQLite state backend against the
/// <c>NORMAL</c> it replaced, in the same run: commits of one resource (a lone create) and of 50 (the journal's group
/// commit under a parallel up), alternating the two modes round by round so machine load hits both alike.
/// </summary>
internal static class SqliteDurabilityBenchmarks
{
    public static async Task RunAsync(bool quick)
    {
        var commits = quick ? 50 : 300;
        var rounds = quick ? 2 : 4;
        foreach (var batch in new[] { 1, 50 })
        {
            var totals = new Dictionary<bool, TimeSpan> { [true] = TimeSpan.Zero, [false] = TimeSpan.Zero };
            for (var round = 0; round < rounds; round++)
            {
                foreach (var fullSync in new[] { round % 2 == 0, round % 2 != 0 })
                {
                    totals[fullSync] += await CommitAsync(fullSync, commits, batch).ConfigureAwait(false);
                }
            }

            var full = totals[true].TotalMilliseconds / (rounds * commits);
            var normal = totals[false].TotalMilliseconds / (rounds * commits);
            Figure.Print($"state.sqlite.commit_{batch}.normal", normal, "ms");
            Figure.Print($"state.sqlite.commit_{batch}.full", full, "ms");
            Figure.Print($"state.sqlite.commit_{batch}.full_vs_normal", full / normal, "x");
        }
    }

    private static async Task<TimeSpan> CommitAsync(bool fullSync, int commits, int batch)
    {
        var folder = Directory.CreateTempSubdirectory("infra-bench-sqlite-");
        try
        {
            await using var backend = await SqliteStateBackend.OpenAsync(Path.Combine(folder.FullName, "state.db"), fullSync, CancellationToken.None).ConfigureAwait(false);
            await backend.CreateStackAsync("bench", CancellationToken.None).ConfigureAwait(false);
            var holder = new LockInfo { LockId = "bench", Owner = "bench", Host = "bench", Pid = Environment.ProcessId };
            await backend.TryAcquireLockAsync("bench", holder, TimeSpan.FromHours(1), _ => false, CancellationToken.None).ConfigureAwait(false);
            var json = "{\"type\":\"bench:index:Thing\",\"inputs\":{\"name\":\"" + new string('x', 200) + "\"}}";
            var clock = Stopwatch.StartNew();
            for (var commit = 0; commit < commits; commit++)
            {
                var mutations = Enumerable.Range(0, batch)
                    .Select(i => (StoredMutation)new StoredMutation.UpsertResource($"urn:bench::{commit}-{i}", false, json))
                    .ToList();
                await backend.WriteAsync("bench", "bench", mutations, CancellationToken.None).ConfigureAwait(false);
            }

            return clock.Elapsed;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
