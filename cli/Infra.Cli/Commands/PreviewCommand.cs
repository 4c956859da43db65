using System.ComponentModel;
using Infra.Automation;
using Infra.Cli.Rendering;
using Infra.Deployment;
using Infra.Values;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class PreviewSettings : OperationSettings
{
    [CommandOption("--save-plan <FILE>")]
    [Description("Write the plan to FILE for 'up --plan FILE'.")]
    public string? SavePlan { get; set; }

    [CommandOption("--detailed-exitcode")]
    [Description("Exit 2 when changes are pending, 0 when none.")]
    public bool DetailedExitCode { get; set; }

    [CommandOption("--expect-no-changes")]
    [Description("Exit 2 when changes are pending.")]
    public bool ExpectNoChanges { get; set; }

    [CommandOption("--replace <URN>")]
    [Description("Plan to replace this resource (repeatable).")]
    public string[] Replaces { get; set; } = [];

    [CommandOption("--format <FORMAT>")]
    [Description("text (default), json (the same as --json) or markdown (a pull-request comment).")]
    public string? Format { get; set; }

    [CommandOption("--max-chars <N>")]
    [Description("With --format markdown: the most characters to print; resources that do not fit are left out with a note (default 60000).")]
    public int? MaxChars { get; set; }

    public bool Markdown => Format == "markdown";

    public override Spectre.Console.ValidationResult Validate()
    {
        if (Format is not (null or "text" or "json" or "markdown"))
        {
            return Spectre.Console.ValidationResult.Error($"--format '{Format}' is not a format; use text, json or markdown.");
        }

        if (Format == "json")
        {
            Json = true;
        }

        if (Json && Format is "text" or "markdown")
        {
            return Spectre.Console.ValidationResult.Error($"--json and --format {Format} contradict each other; pass one.");
        }

        if (MaxChars is { } max && (!Markdown || max < MarkdownPlan.MinMaxChars))
        {
            return Spectre.Console.ValidationResult.Error(Markdown
                ? $"--max-chars must be at least {MarkdownPlan.MinMaxChars}, got {max}."
                : "--max-chars applies only to --format markdown.");
        }

        return base.Validate();
    }
}

internal sealed class PreviewCommand : AsyncCommand<PreviewSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PreviewSettings settings, CancellationToken cancellationToken)
    {
        // Markdown goes to stdout whole, so the renderer stays as quiet there as for JSON.
        var renderer = new OperationRenderer(settings.Json || settings.Markdown, settings.Diff, streamJson: false);
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken, (_, packs) => renderer.OnPolicyPacks(packs)).ConfigureAwait(false);
        var stack = await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false);
        renderer.Heading($"Previewing update of stack '{stack.Name}':");
        renderer.Detail(KubernetesTarget.Describe(stack));
        var options = CliWorkspace.Apply(new PreviewOptions(), settings, renderer.OnEvent) with { Replaces = [.. settings.Replaces] };
        PreviewResult preview;
        try
        {
            preview = await stack.PreviewAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (PolicyViolationException violation)
        {
            Print(renderer, violation.Preview, settings);
            throw;
        }

        Print(renderer, preview, settings);
        if (settings.SavePlan is { } path)
        {
            await File.WriteAllTextAsync(path, stack.SerializePlan(preview.Plan), cancellationToken).ConfigureAwait(false);
            if (!settings.Json && !settings.Markdown)
            {
                CliConsole.Out.MarkupLine($"\nPlan saved to {Markup.Escape(path)}; apply it with 'infra up --plan {Markup.Escape(path)}'.");
            }
        }

        return (settings.DetailedExitCode || settings.ExpectNoChanges) && preview.HasChanges ? ExitCodes.ChangesPending : ExitCodes.Success;
    }

    private static void Print(OperationRenderer renderer, PreviewResult preview, PreviewSettings settings)
    {
        if (settings.Json)
        {
            CliConsole.StdOut.Write(PlanJson.Serialize(preview.Plan, PropertyJsonMode.Masked));
        }
        else if (settings.Markdown)
        {
            CliConsole.StdOut.Write(MarkdownPlan.Render(preview, settings.MaxChars ?? MarkdownPlan.DefaultMaxChars));
        }
        else
        {
            renderer.PrintPlan(preview);
        }
    }
}
