using Infra.Backups;
using Infra.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Tenant;

internal sealed class TenantBackupCommand : AsyncCommand<GlobalSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, GlobalSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var target = await TenantBackupTargets.ResolveAsync(stack, cancellationToken).ConfigureAwait(false);
        var (dumpPath, manifest) = await TenantBackups.BackupAsync(target, cancellationToken).ConfigureAwait(false);
        CliConsole.Out.MarkupLine(
            $"Backed up database [bold]{Markup.Escape(manifest.Database)}[/] of tenant [bold]{Markup.Escape(manifest.Tenant)}[/]: " +
            $"{manifest.SizeBytes:N0} bytes, sha256 {manifest.Sha256}, server {Markup.Escape(manifest.ServerVersion)}.");
        CliConsole.Out.WriteLine($"Manifest: {BackupManifest.PathFor(dumpPath)}");
        // The path is the last line, alone, so scripts can take it with `tail -n 1`.
        Console.Out.WriteLine(dumpPath);
        return ExitCodes.Success;
    }
}
