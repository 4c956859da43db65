using System.ComponentModel;
using Infra.Automation;
using Infra.Cli.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class StackRollbackSettings : ConfirmedOperationSettings
{
    [CommandOption("--to <UPDATE>")]
    [Description("The update to go back to: its ID in 'infra stack history' (the 'id' of --json).")]
    public long? To { get; set; }

    public override ValidationResult Validate() =>
        To is null or < 1 ? ValidationResult.Error("--to UPDATE is required: the ID of the update to go back to, from 'infra stack history'.")
        : base.Validate();
}

/// <summary>
/// <c>infra stack rollback --to N</c>: previews update N's config with the current program, then applies it as a new
/// update. Databases keep their data; the note after the plan says so and points to restore.
/// </summary>
internal sealed class StackRollbackCommand : AsyncCommand<StackRollbackSettings>
{
    /// <summary>Printed with every rollback plan: what a rollback never touches, and where to go for it.</summary>
    public const string DataNote =
        "Databases keep their data: a rollback changes settings and resources, never rows. To bring data back, restore a backup " +
        "('infra tenant restore', docs/admin/runbooks/dr.md).";

    public override async Task<int> ExecuteAsync(CommandContext context, StackRollbackSettings settings, CancellationToken cancellationToken)
    {
        Confirmation.RequireYesOrTerminal(settings.Yes || settings.ExpectNoChanges, "stack rollback");
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var target = await stack.RollbackTargetAsync(settings.To!.Value, cancellationToken).ConfigureAwait(false);
        var renderer = new OperationRenderer(settings.Json, settings.Diff);
        renderer.Heading($"Previewing rollback of stack '{stack.Name}' to update {target.Id} ({target.Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z) with the current program:");
        var options = CliWorkspace.Apply(new RollbackOptions { ToUpdate = target.Id }, settings, renderer.OnEvent) with
        {
            Confirm = (preview, ct) =>
            {
                if (!settings.Json)
                {
                    CliConsole.Out.MarkupLine($"[grey]{Markup.Escape(DataNote)}[/]");
                }

                return UpCommand.ConfirmAsync(renderer, preview, settings, ct);
            },
        };

        var (exitCode, result) = await UpCommand.ApplyAndReportAsync(renderer, settings, () => stack.RollbackAsync(options, cancellationToken)).ConfigureAwait(false);
        if (result is null)
        {
            return exitCode;
        }

        if (!settings.Json)
        {
            CliConsole.Out.MarkupLine($"Rolled back to update {target.Id} as update {result.UpdateId}; {Markup.Escape(Path.GetRelativePath(workspace.Project.Directory, stack.SettingsPath))} holds its config again.");
        }

        return ExitCodes.Success;
    }
}
