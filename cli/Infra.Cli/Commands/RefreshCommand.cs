using Infra.Automation;
using Infra.Cli.Rendering;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class RefreshCommand : AsyncCommand<ConfirmedOperationSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ConfirmedOperationSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var renderer = new OperationRenderer(settings.Json, settings.Diff);
        renderer.Heading($"Refreshing stack '{stack.Name}':");
        var options = CliWorkspace.Apply(new RefreshOptions(), settings, renderer.OnEvent);
        renderer.BeginApplying();
        var result = await renderer.ApplyAsync(() => stack.RefreshAsync(options, cancellationToken)).ConfigureAwait(false);
        renderer.PrintSummary(result.Summary, result.Duration);
        var drifted = result.Steps.Count(static s => !s.Changed.IsDefaultOrEmpty || s.Op == Deployment.StepOp.Forget);
        return settings.ExpectNoChanges && drifted > 0 ? ExitCodes.ChangesPending : ExitCodes.Success;
    }
}
