using System.ComponentModel;
using Infra.Backups.Drills;
using Infra.Cli.Commands.Tenant;
using Infra.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Dr;

internal sealed class DrDrillSettings : GlobalSettings
{
    [CommandOption("--tenants")]
    [Description("Restore each tenant's newest backup into a scratch database, compare it with the live one, drop it, and report the RTO.")]
    public bool Tenants { get; set; }

    [CommandOption("--port <PORT>")]
    [Description("Without --tenants: the port the restored server listens on (127.0.0.1); default a free one.")]
    public int? Port { get; set; }

    [CommandOption("--scratch <DIR>")]
    [Description("Without --tenants: where the restored server's data directory is made; default the temporary folder.")]
    public string? Scratch { get; set; }

    public override ValidationResult Validate() =>
        Tenants && (Port is not null || Scratch is not null) ? ValidationResult.Error("--port and --scratch belong to the point-in-time drill; drop them or drop --tenants.")
        : Port is < 1 or > 65535 ? ValidationResult.Error($"--port {Port} is not a port (1 to 65535).")
        : base.Validate();
}

/// <summary>
/// <c>infra dr drill</c>: without <c>--tenants</c>, a point-in-time restore of the whole server (<see cref="ServerDrillRun"/>).
/// <c>infra dr drill --tenants</c>: a restore drill per tenant stack. Stacks without a live database or without a
/// backup are skipped with a note. Exit 0 when every drilled tenant's restored copy matches its live database.
/// </summary>
internal sealed class DrDrillCommand : AsyncCommand<DrDrillSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DrDrillSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        if (!settings.Tenants)
        {
            return await ServerDrillRun.RunAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        }

        var entries = await TenantFleet.ListAsync(workspace, cancellationToken).ConfigureAwait(false);
        var progress = new FleetProgress();
        var slowest = TimeSpan.Zero;
        await progress.RunAsync(entries, async (entry, prefix) =>
        {
            var stack = await workspace.SelectStackAsync(entry.Stack, cancellationToken).ConfigureAwait(false);
            var login = await TenantFleet.TenantLoginAsync(stack, entry.Target!, cancellationToken).ConfigureAwait(false);
            var result = await TenantDrill.RunAsync(entry.Target!, entry.Store!, login, cancellationToken).ConfigureAwait(false);
            if (result.Backup is null)
            {
                progress.Skip(prefix, $"it has no backup in {entry.Store!.Display} (run 'infra tenant backup').");
                return;
            }

            var rto = $"RTO {result.RecoveryTime.TotalSeconds:0.00} s";
            slowest = result.RecoveryTime > slowest ? result.RecoveryTime : slowest;
            if (result.Differences.Count == 0)
            {
                progress.Ok(prefix, "ok", Markup.Escape($", {rto}: {result.Tables} table(s), {result.Rows:N0} row(s) match live ({result.Backup})."));
            }
            else
            {
                progress.Fail(prefix, "differs", Markup.Escape($", {rto}: {string.Join("; ", result.Differences)} ({result.Backup})."));
            }
        }).ConfigureAwait(false);

        CliConsole.Out.MarkupLine(
            $"Drilled {progress.Done + progress.Failed} of {entries.Count} tenant stack(s): {progress.Done} ok, {progress.Failed} failed or differing, {progress.Skipped} skipped; slowest RTO {slowest.TotalSeconds:0.00} s.");
        return progress.Failed > 0
            ? throw new InfraException($"{progress.Failed} tenant restore drill(s) failed or differ from live; see the lines above.")
            : ExitCodes.Success;
    }
}
