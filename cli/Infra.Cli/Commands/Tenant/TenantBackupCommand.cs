using System.ComponentModel;
using Infra.Backups;
using Infra.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Tenant;

internal sealed class TenantBackupSettings : GlobalSettings
{
    [CommandOption("--all")]
    [Description("Back up every tenant stack; stacks without a live database are skipped with a note.")]
    public bool All { get; set; }

    public override ValidationResult Validate() =>
        All && Stack is not null ? ValidationResult.Error("--all backs up every tenant stack; leave out --stack, or back up one stack without --all.")
        : base.Validate();
}

internal sealed class TenantBackupCommand : AsyncCommand<TenantBackupSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TenantBackupSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        if (settings.All)
        {
            return await TenantBackupAll.RunAsync(workspace, cancellationToken).ConfigureAwait(false);
        }

        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var target = await TenantBackupTargets.ResolveAsync(stack, cancellationToken).ConfigureAwait(false);
        var store = TenantBackupTargets.OpenStore(stack);
        var (location, manifest) = await StoredTenantBackups.BackupAsync(target, store, cancellationToken).ConfigureAwait(false);
        CliConsole.Out.MarkupLine(
            $"Backed up database [bold]{Markup.Escape(manifest.Database)}[/] of tenant [bold]{Markup.Escape(manifest.Tenant)}[/]: " +
            $"{manifest.SizeBytes:N0} bytes, sha256 {manifest.Sha256}, server {Markup.Escape(manifest.ServerVersion)}.");
        CliConsole.Out.WriteLine($"Manifest: {BackupManifest.PathFor(location)}");
        if (await TenantFleet.RetentionDaysAsync(stack, cancellationToken).ConfigureAwait(false) is { } days)
        {
            var pruned = await BackupRetention.PruneAsync(store, target.TenantId, days, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            CliConsole.Out.WriteLine($"Retention {days} day(s): pruned {pruned.Count} older backup(s).");
        }

        // The path is the last line, alone, so scripts can take it with `tail -n 1`.
        Console.Out.WriteLine(location);
        return ExitCodes.Success;
    }
}
