using System.ComponentModel;
using Infra.Automation;
using Infra.Cli.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class DestroySettings : ConfirmedOperationSettings
{
    [CommandOption("--exclude-protected")]
    [Description("Expect protected resources to stay: delete the rest and exit 0 instead of refusing with exit 1.")]
    public bool ExcludeProtected { get; set; }

    [CommandOption("--verbose")]
    [Description("List the URNs of the resources kept because they are protected or attached to a protected one.")]
    public bool Verbose { get; set; }
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
        if (settings.Verbose)
        {
            foreach (var urn in result.Kept)
            {
                CliConsole.Error.MarkupLine(Markup.Escape($"kept: {urn}"));
            }
        }

        if (!result.Kept.IsEmpty && !settings.ExcludeProtected)
        {
            throw new InfraException(
                $"destroy of stack '{stack.Name}' refused: {result.Kept.Length} resource(s) are protected or attached to a protected one and were kept; " +
                $"pass --exclude-protected to expect this{(settings.Verbose ? string.Empty : ", or --verbose to list them")}.");
        }

        return ExitCodes.Success;
    }
}
