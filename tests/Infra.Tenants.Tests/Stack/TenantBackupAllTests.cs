using Infra.Backups;
using Infra.Backups.Storage;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

/// <summary><c>infra tenant backup --all</c> and retention, with the real pg_dump against a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public class TenantBackupAllTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Backup_all_backs_up_every_live_tenant_skips_one_never_brought_up_with_a_note_and_exits_0()
    {
        using var project = new TenantProject(Server);
        var (a, b, never) = (TenantProject.NewTenantId(), TenantProject.NewTenantId(), TenantProject.NewTenantId());
        foreach (var id in new[] { a, b })
        {
            Assert.Equal(0, (await project.UpAsync(await project.InitAsync(id))).ExitCode);
        }

        await project.InitAsync(never);
        await Sql.ExecuteAsync(Server.ConnectionString($"tenant_{a}"), "CREATE TABLE app.t(v int)", "INSERT INTO app.t SELECT generate_series(1, 50)");

        var result = await project.Cli.RunAsync("tenant", "backup", "--all");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"tenant-{a}: backed up", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tenant-{b}: backed up", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tenant-{never}: skipped: it has no live database (never brought up, or destroyed).", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("retention 14 d", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Backed up 2 of 3 tenant stack(s)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 skipped, 0 failed", result.Stdout, StringComparison.Ordinal);
        var store = new FolderBackupStore(Path.Combine(project.Cli.Directory, "backups"));
        Assert.True((await store.ListAsync(a, default)).Single().IsGood);
        Assert.True((await store.ListAsync(b, default)).Single().IsGood);
        Assert.Empty(await store.ListAsync(never, default));
    }

    [Fact]
    public async Task A_tenant_whose_database_was_dropped_is_skipped_and_one_that_fails_makes_the_run_exit_1_after_the_others()
    {
        using var project = new TenantProject(Server);
        var (live, dropped, broken) = (TenantProject.NewTenantId(), TenantProject.NewTenantId(), TenantProject.NewTenantId());
        foreach (var id in new[] { live, dropped, broken })
        {
            Assert.Equal(0, (await project.UpAsync(await project.InitAsync(id))).ExitCode);
        }

        await Sql.ExecuteAsync(Server, $"DROP DATABASE \"tenant_{dropped}\" WITH (FORCE)");
        await project.ConfigAsync($"tenant-{broken}", ("backup:location", "s3://No_Such_Bucket/x"));

        var result = await project.Cli.RunAsync("tenant", "backup", "--all");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"tenant-{live}: backed up", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tenant-{dropped}: skipped: its database 'tenant_{dropped}' does not exist on the server.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tenant-{broken}: failed:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("backup:location", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("error: 1 of 3 tenant backup(s) failed; see the lines marked 'failed' above.", result.Stderr.Trim());
    }

    [Fact]
    public async Task Retention_prunes_backups_older_than_the_plan_allows_but_keeps_the_newest_good_one()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var dumps = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            dumps.Add((await project.Cli.RunOkAsync("tenant", "backup", "-s", stack)).Stdout.TrimEnd().Split('\n')[^1]);
        }

        var store = new FolderBackupStore(Path.Combine(project.Cli.Directory, "backups"));
        // The newest dump loses bytes: it is no longer good, so the one before it is the newest good one.
        await File.WriteAllBytesAsync(dumps[2], (await File.ReadAllBytesAsync(dumps[2]))[..10]);

        var pruned = await BackupRetention.PruneAsync(store, id, retentionDays: 14, DateTimeOffset.UtcNow.AddDays(30), default);

        Assert.Equal([Path.GetFileName(dumps[0]), Path.GetFileName(dumps[2])], pruned.Select(static b => b.DumpName).Order(StringComparer.Ordinal));
        var left = await store.ListAsync(id, default);
        Assert.Equal(Path.GetFileName(dumps[1]), Assert.Single(left).DumpName);
        Assert.False(File.Exists(BackupManifest.PathFor(dumps[0])));
        Assert.Empty(await BackupRetention.PruneAsync(store, id, retentionDays: 14, DateTimeOffset.UtcNow, default));
    }
}
