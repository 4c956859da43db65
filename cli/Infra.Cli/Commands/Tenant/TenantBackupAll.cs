using System.Diagnostics;
using Infra.Automation;
using Infra.Backups;
using Infra.Hosting;
using Spectre.Console;

namespace Infra.Cli.Commands.Tenant;

/// <summary>
/// <c>infra tenant backup --all</c>: backs up every tenant stack in turn, then prunes its backups older than its plan's
/// retention (keeping the newest good one). One progress line per stack and a summary; exit 0 when every stack was
/// backed up or skipped (no live database), 1 when any failed.
/// </summary>
internal static class TenantBackupAll
{
    public static async Task<int> RunAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var entries = await TenantFleet.ListAsync(workspace, cancellationToken).ConfigureAwait(false);
        var progress = new FleetProgress();
        var pruned = 0;
        var total = Stopwatch.StartNew();
        await progress.RunAsync(entries, async (entry, prefix) =>
        {
            var clock = Stopwatch.StartNew();
            var (location, manifest) = await StoredTenantBackups.BackupAsync(entry.Target!, entry.Store!, cancellationToken).ConfigureAwait(false);
            var removed = entry.RetentionDays is { } days
                ? (await BackupRetention.PruneAsync(entry.Store!, entry.Target!.TenantId, days, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false)).Count
                : 0;
            pruned += removed;
            var retention = entry.RetentionDays is { } kept ? $"retention {kept} d, pruned {removed}" : "no retention recorded, nothing pruned";
            progress.Ok(prefix, "backed up", Markup.Escape($" {manifest.SizeBytes:N0} bytes in {clock.Elapsed.TotalSeconds:0.0} s to {location} ({retention})."));
        }).ConfigureAwait(false);

        CliConsole.Out.MarkupLine(
            $"Backed up {progress.Done} of {entries.Count} tenant stack(s) in {total.Elapsed.TotalSeconds:0.0} s: {progress.Skipped} skipped, {progress.Failed} failed, {pruned} old backup(s) pruned.");
        if (progress.Failed > 0)
        {
            throw new InfraException($"{progress.Failed} of {entries.Count} tenant backup(s) failed; see the lines marked 'failed' above.");
        }

        return ExitCodes.Success;
    }
}
