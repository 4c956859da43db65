using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class CancelSettings : GlobalSettings
{
    [CommandOption("-y|--yes")]
    [Description("Proceed without asking.")]
    public bool Yes { get; set; }
}

internal sealed class CancelCommand : AsyncCommand<CancelSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CancelSettings settings, CancellationToken cancellationToken)
    {
        Confirmation.RequireYesOrTerminal(settings.Yes, "cancel");
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var holder = await stack.GetLockAsync(cancellationToken).ConfigureAwait(false);
        if (holder is null)
        {
            CliConsole.Out.MarkupLine($"Stack [bold]{Markup.Escape(stack.Name)}[/] is not locked.");
            return ExitCodes.Success;
        }

        if (!await Confirmation.AskAsync(settings.Yes, $"Release the lock held by {holder.Describe()}?", cancellationToken).ConfigureAwait(false))
        {
            throw new InfraException("declined; the lock is unchanged.");
        }

        var released = await stack.CancelAsync(cancellationToken).ConfigureAwait(false);
        CliConsole.Out.MarkupLine(released is null
            ? "The lock was released by its holder meanwhile."
            : $"Released the lock of stack [bold]{Markup.Escape(stack.Name)}[/] held by {Markup.Escape(released.Describe())}; its run stops at its next write.");
        return ExitCodes.Success;
    }
}
