using Infra.Automation;
using Infra.Stacks.Cli.Rendering;
using Spectre.Console.Cli;

namespace Infra.Stacks.Cli.Commands;

internal sealed class DestroyCommand : AsyncCommand<ConfirmedOperationSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfirmedOperationSettings settings, CancellationToken cancellationToken)
    {
        Confirmation.RequireYesOrTerminal(settings.Yes || settings.ExpectNoChanges, "destroy");
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var renderer = new OperationRenderer(settings.Json, settings.Diff);
        renderer.Heading($"Previewing destroy of stack '{stack.Name}':");
        var options = CliWorkspace.Apply(new DestroyOptions(), settings, renderer.OnEvent) with
        {
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
