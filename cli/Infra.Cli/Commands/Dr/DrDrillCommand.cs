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

    public override ValidationResult Validate() =>
        !Tenants ? ValidationResult.Error("--tenants is required: this version drills tenant restores (a point-in-time drill of the whole server is not available yet).")
        : base.Validate();
}

/// <summary>
/// <c>infra dr drill --tenants</c>: a restore drill per tenant stack. Stacks without a live database or without a
/// backup are skipped with a note. Exit 0 when every drilled tenant's restored copy matches its live database.
/// </summary>
internal sealed class DrDrillCommand : AsyncCommand<DrDrillSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DrDrillSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var entries = await TenantFleet.ListAsync(workspace, cancellationToken).ConfigureAwait(false);
        var progress = new FleetProgress();
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var prefix = FleetProgress.Prefix(i, entries.Count, entry.Stack);
            if (entry.Skipped is { } note)
            {
                progress.Skip(prefix, note + ".");
                continue;
            }

            try
            {
                if (entry.Error is { } error)
                {
                    throw new InfraException(error);
                }

                var stack = await workspace.SelectStackAsync(entry.Stack, cancellationToken).ConfigureAwait(false);
                var login = await TenantFleet.TenantLoginAsync(stack, entry.Target!, cancellationToken).ConfigureAwait(false);
                var result = await TenantDrill.RunAsync(entry.Target!, entry.Store!, login, cancellationToken).ConfigureAwait(false);
                if (result.Backup is null)
                {
                    progress.Skip(prefix, $"it has no backup in {entry.Store!.Display} (run 'infra tenant backup').");
                    continue;
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
            }
            catch (Exception ex) when (ex is InfraException or IOException or Npgsql.NpgsqlException)
            {
                progress.Fail(prefix, "failed", ": " + Markup.Escape(ex.Message));
            }
        }

        CliConsole.Out.MarkupLine(
            $"Drilled {progress.Done + progress.Failed} of {entries.Count} tenant stack(s): {progress.Done} ok, {progress.Failed} failed or differing, {progress.Skipped} skipped; slowest RTO {slowest.TotalSeconds:0.00} s.");
        return progress.Failed > 0
            ? throw new InfraException($"{progress.Failed} tenant restore drill(s) failed or differ from live; see the lines above.")
            : ExitCodes.Success;
    }
}
