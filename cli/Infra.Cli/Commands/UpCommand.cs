using System.ComponentModel;
using Infra.Automation;
using Infra.Cli.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class UpSettings : ConfirmedOperationSettings
{
    [CommandOption("--plan <FILE>")]
    [Description("Apply exactly the plan saved by 'preview --save-plan FILE'.")]
    public string? Plan { get; set; }

    [CommandOption("--replace <URN>")]
    [Description("Replace this resource even if unchanged (repeatable).")]
    public string[] Replaces { get; set; } = [];
}

internal sealed class UpCommand : AsyncCommand<UpSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, UpSettings settings, CancellationToken cancellationToken)
    {
        Confirmation.RequireYesOrTerminal(settings.Yes || settings.ExpectNoChanges, "up");
        var renderer = new OperationRenderer(settings.Json, settings.Diff);
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken, (_, packs) => renderer.OnPolicyPacks(packs)).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        var options = CliWorkspace.Apply(new UpOptions(), settings, renderer.OnEvent) with { Replaces = [.. settings.Replaces] };

        if (settings.Plan is { } planFile)
        {
            if (!File.Exists(planFile))
            {
                throw new InfraException($"plan file '{planFile}' does not exist.");
            }

            var plan = stack.DeserializePlan(await File.ReadAllTextAsync(planFile, cancellationToken).ConfigureAwait(false), planFile);
            // Shown only once the engine has found the plan current, so a stale one is the error line alone.
            options = options with
            {
                Plan = plan,
                Confirm = (saved, ct) =>
                {
                    renderer.Heading($"Saved plan for stack '{stack.Name}' ({planFile}):");
                    return ConfirmAsync(renderer, saved, settings, ct);
                },
            };
        }
        else
        {
            renderer.Heading($"Previewing update of stack '{stack.Name}':");
            renderer.Detail(KubernetesTarget.Describe(stack));
            options = options with { Confirm = (preview, ct) => ConfirmAsync(renderer, preview, settings, ct) };
        }

        var (exitCode, _) = await ApplyAndReportAsync(renderer, settings, () => stack.UpAsync(options, cancellationToken)).ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>
    /// Runs an up-like operation (up, rollback) under <paramref name="renderer"/> and reports it; returns the exit code,
    /// and the result when the operation applied.
    /// </summary>
    internal static async Task<(int ExitCode, UpdateResult? Applied)> ApplyAndReportAsync(
        OperationRenderer renderer, ConfirmedOperationSettings settings, Func<Task<UpdateResult>> apply)
    {
        UpdateResult result;
        try
        {
            result = await renderer.ApplyAsync(apply).ConfigureAwait(false);
        }
        catch (ChangesPendingException)
        {
            return (ExitCodes.ChangesPending, null);
        }
        catch (PolicyViolationException violation)
        {
            renderer.PrintPlan(violation.Preview);
            throw;
        }

        if (result.Declined)
        {
            return (Declined(settings), null);
        }

        renderer.PrintViolations(result.Violations);
        renderer.PrintSummary(result.Summary, result.Duration);
        return (ExitCodes.Success, result);
    }

    internal static async Task<bool> ConfirmAsync(OperationRenderer renderer, PreviewResult preview, ConfirmedOperationSettings settings, CancellationToken cancellationToken)
    {
        renderer.PrintPlan(preview);
        if (settings.ExpectNoChanges && preview.HasChanges)
        {
            CliConsole.Error.MarkupLine("[yellow]changes are pending (--expect-no-changes); nothing was changed.[/]");
            throw new ChangesPendingException();
        }

        if (!await Confirmation.AskAsync(settings.Yes || settings.ExpectNoChanges, "Do you want to perform this update?", cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        renderer.Heading("\nApplying:");
        renderer.BeginApplying();
        return true;
    }

    internal static int Declined(ConfirmedOperationSettings settings)
    {
        if (!settings.Json)
        {
            CliConsole.Out.MarkupLine("[yellow]Declined; nothing was changed.[/]");
        }

        return ExitCodes.Error;
    }
}

/// <summary>Stops an operation before it changes anything because <c>--expect-no-changes</c> found changes.</summary>
internal sealed class ChangesPendingException() : Exception("changes are pending");
