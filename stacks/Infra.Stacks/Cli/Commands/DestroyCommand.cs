using System.ComponentModel;
using Infra.Automation;
using Infra.Stacks.Cli.Rendering;
using Spectre.Console.Cli;

namespace Infra.Stacks.Cli.Commands;

internal sealed class DestroySettings : ConfirmedOperationSettings
{
    [CommandOption("--exclude-protected")]
    [Description("Keep protected resources (and what they depend on) and delete the rest, instead of refusing.")]
    public bool ExcludeProtected { get; set; }
}

internal sealed class DestroyCommand : AsyncCommand<DestroySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DestroySettings settings, CancellationToken cancellationToken)
    {
        Confirmation.RequireYesOrTerminal(settings.Yes || settings.ExpectNoChanges, "destroy");
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var renderer = new OperationRenderer(settings.Json, settings.Diff);
        renderer.Heading($"Previewing destroy of stack '{stack.Name}':");
        var options = CliWorkspace.Apply(new DestroyOptions(), settings, renderer.OnEvent) with
        {
            ExcludeProtected = settings.ExcludeProtected,
            Confirm = (preview, ct) => UpCommand.ConfirmAsync(renderer, preview, settings, ct),
        };

        UpdateResult result;
        try
        {
            result = await renderer.ApplyAsync(() => stack.DestroyAsync(options, cancellationToken)).ConfigureAwait(false);
        }
        catch (ChangesPendingException)
        {
            return ExitCodes.ChangesPending;
        }

        if (result.Declined)
        {
            return UpCommand.Declined(settings);
        }

        renderer.PrintSummary(result.Summary, result.Duration);
        return ExitCodes.Success;
    }
}
