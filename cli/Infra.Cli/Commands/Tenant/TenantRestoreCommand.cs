using System.ComponentModel;
using Infra.Hosting;
using Infra.Providers.Postgres;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands.Tenant;

internal sealed class TenantRestoreSettings : GlobalSettings
{
    [CommandOption("--from <PATH>")]
    [Description("The backup: the .dump file (or its .manifest.json) printed by 'infra tenant backup'.")]
    public string? From { get; set; }

    [CommandOption("--to <DBNAME>")]
    [Description("Restore into this new database instead of the tenant's own; the copy is recorded in the stack's state, and destroy drops it first.")]
    public string? To { get; set; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(From) ? ValidationResult.Error("--from PATH is required: the backup to restore.")
        : To is not null && PostgresNames.Problem("database", To) is { } problem ? ValidationResult.Error($"--to: {problem}.")
        : base.Validate();
}

internal sealed class TenantRestoreCommand : AsyncCommand<TenantRestoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TenantRestoreSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var target = await TenantBackupTargets.ResolveAsync(stack, cancellationToken).ConfigureAwait(false);
        var database = await TenantRestores.RestoreAsync(stack, target, settings.From!, settings.To, cancellationToken).ConfigureAwait(false);
        CliConsole.Out.MarkupLine($"Checksum verified; restored [bold]{Markup.Escape(settings.From!)}[/] into database [bold]{Markup.Escape(database)}[/].");
        return ExitCodes.Success;
    }
}
