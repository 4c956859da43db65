using System.ComponentModel;
using Infra.Backups;
using Infra.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class StateBackupSettings : GlobalSettings
{
    [CommandOption("--to <DIR>")]
    [Description("The folder the snapshot goes to (default: backups/state in the project).")]
    public string? To { get; set; }
}

/// <summary><c>infra state backup</c>: a consistent snapshot of the state backend, with a manifest; prints its path last.</summary>
internal sealed class StateBackupCommand : AsyncCommand<StateBackupSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StateBackupSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var folder = Path.GetFullPath(settings.To ?? Path.Combine("backups", "state"), workspace.Project.Directory);
        var url = Environment.GetEnvironmentVariable(State.StateBackends.UrlVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : workspace.Project.BackendUrl;
        // The manifest is authenticated like a tenant backup's, with the key of the stack named by -s (or selected).
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var (path, manifest) = await StateSnapshots.BackupAsync(workspace, url, folder, TenantBackupTargets.ManifestKey(stack), cancellationToken).ConfigureAwait(false);
        CliConsole.Out.MarkupLine($"Backed up the state of {Markup.Escape(workspace.Backend.DisplayUrl)}: {manifest.SizeBytes:N0} bytes, sha256 {manifest.Sha256}.");
        CliConsole.Out.WriteLine($"Manifest: {BackupManifest.PathFor(path)}");
        Console.Out.WriteLine(path);
        return ExitCodes.Success;
    }
}
