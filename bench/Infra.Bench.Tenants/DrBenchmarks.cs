using System.Diagnostics;
using Infra.Automation;
using Infra.Backups;
using Infra.Backups.Drills;
using Infra.Hosting;
using Infra.Stacks.Kinds.Tenant;
using Npgsql;

namespace Infra.Bench.Tenants;

/// <summary>
/// Recovery figures (argument <c>dr [tenants]</c>, 50 tenants by default): <c>dr drill --tenants</c> over the fleet
/// against its baseline, the same restores by hand (verify and pg_restore into a new database, no comparison); and a
/// tenant's <c>stack rollback</c> (enterprise back to standard) against the <c>up</c> that makes the same change.
/// </summary>
internal static class DrBenchmarks
{
    private const int Parallel = 8;
    private const int RollbackSamples = 3;

    public static async Task RunAsync(Func<Workspace> open, Func<Workspace, string, Task<WorkspaceStack>> createTenant, int tenants)
    {
        var program = StackProgram.FromStack<TenantStack>();
        var run = Guid.NewGuid().ToString("N")[..6];
        await using var workspace = open();
        var stacks = new WorkspaceStack[tenants];
        using var gate = new SemaphoreSlim(Parallel);
        await Task.WhenAll(Enumerable.Range(0, tenants).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var stack = await createTenant(workspace, $"d{run}-{i}");
                await stack.SetConfigAsync("backup:location", "backups");
                await stack.UpAsync(new UpOptions { Program = program });
                var target = await TenantBackupTargets.ResolveAsync(stack, default);
                await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(target.Admin.ConnectionString) { Database = target.Database }.ConnectionString))
                {
                    await connection.OpenAsync();
                    await using var fill = new NpgsqlCommand(
                        $"SET ROLE \"{target.Role}\"; CREATE TABLE app.orders AS SELECT g AS id, md5(g::text) AS item FROM generate_series(1, 1000) g;", connection);
                    await fill.ExecuteNonQueryAsync();
                }

                await StoredTenantBackups.BackupAsync(target, TenantBackupTargets.OpenStore(stack), default);
                stacks[i] = stack;
            }
            finally
            {
                gate.Release();
            }
        }));

        // Baseline: each tenant's newest backup verified and restored into a new database, then dropped.
        var baseline = Stopwatch.StartNew();
        foreach (var stack in stacks)
        {
            var target = await TenantBackupTargets.ResolveAsync(stack, default);
            var store = TenantBackupTargets.OpenStore(stack);
            var newest = (await store.ListAsync(target.TenantId, default))[0];
            var copy = $"base_{target.TenantId.Replace('-', '_')}";
            await TenantBackups.RestoreAsync(target, newest.Location, copy, default);
            await using var connection = new NpgsqlConnection(target.Admin.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{copy}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        var restoreOnly = baseline.Elapsed.TotalSeconds;
        var drill = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        foreach (var stack in stacks)
        {
            var target = await TenantBackupTargets.ResolveAsync(stack, default);
            var login = await TenantFleet.TenantLoginAsync(stack, target, default);
            var result = await TenantDrill.RunAsync(target, TenantBackupTargets.OpenStore(stack), login, default);
            if (result.Differences.Count > 0 || result.Backup is null)
            {
                throw new InvalidOperationException($"drill of {stack.Name} did not match: {string.Join("; ", result.Differences)}");
            }

            slowest = result.RecoveryTime > slowest ? result.RecoveryTime : slowest;
        }

        Figures.Print($"dr.restore_only.{tenants}_tenants", restoreOnly, "s");
        Figures.Print($"dr.drill_tenants.{tenants}_tenants", drill.Elapsed.TotalSeconds, "s");
        Figures.Print($"dr.drill_tenants.rto_max", slowest.TotalMilliseconds, "ms");
        Figures.Print($"dr.drill_tenants_over_restore_only", drill.Elapsed.TotalSeconds / restoreOnly, "x");

        await RollbackAsync(stacks[0], program);
    }

    /// <summary>Rollback enterprise to standard, against the up that makes the same change, alternated.</summary>
    private static async Task RollbackAsync(WorkspaceStack stack, StackProgram program)
    {
        var standard = (await stack.GetHistoryAsync()).Single(static u => u.Kind == "update" && u.Result == "succeeded").Id;
        var (ups, rollbacks) = (new List<double>(), new List<double>());
        for (var i = 0; i < RollbackSamples; i++)
        {
            await stack.SetConfigAsync("tenant:plan", "enterprise");
            await stack.UpAsync(new UpOptions { Program = program });
            var clock = Stopwatch.StartNew();
            await stack.RollbackAsync(new RollbackOptions { ToUpdate = standard, Program = program });
            rollbacks.Add(clock.Elapsed.TotalMilliseconds);

            await stack.SetConfigAsync("tenant:plan", "enterprise");
            await stack.UpAsync(new UpOptions { Program = program });
            await stack.SetConfigAsync("tenant:plan", "standard");
            clock.Restart();
            await stack.UpAsync(new UpOptions { Program = program });
            ups.Add(clock.Elapsed.TotalMilliseconds);
        }

        Figures.Print("rollback.tenant.up.p50", Figures.Percentile(ups, 50), "ms");
        Figures.Print("rollback.tenant.rollback.p50", Figures.Percentile(rollbacks, 50), "ms");
        Figures.Print("rollback.tenant.rollback_over_up.p50", Figures.Percentile(rollbacks, 50) / Figures.Percentile(ups, 50), "x");
    }
}
