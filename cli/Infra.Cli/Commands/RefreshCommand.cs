using System.ComponentModel;
using Infra.Automation;
using Infra.Cli.Rendering;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Infra.Cli.Commands;

internal sealed class RefreshSettings : ConfirmedOperationSettings
{
    [CommandOption("--all")]
    [Description("Refresh every stack of the project, one after another (a scheduled drift check).")]
    public bool All { get; set; }

    [CommandOption("--metrics-file <FILE>")]
    [Description("Write infra_stack_drifted{stack=...} (1 drifted, 0 not) in the Prometheus text format, e.g. for node_exporter's textfile collector.")]
    public string? MetricsFile { get; set; }

    public override ValidationResult Validate() =>
        All && Stack is not null ? ValidationResult.Error("refresh: pass --all or --stack, not both.") : base.Validate();
}

internal sealed class RefreshCommand : AsyncCommand<RefreshSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RefreshSettings settings, CancellationToken cancellationToken)
    {
        await using var workspace = await CliWorkspace.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var stacks = settings.All
            ? [.. (await workspace.ListStacksAsync(cancellationToken).ConfigureAwait(false)).Select(static s => s.Name).Order(StringComparer.Ordinal)]
            : new[] { (await CliWorkspace.StackAsync(workspace, settings, cancellationToken).ConfigureAwait(false)).Name };
        var drift = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in stacks)
        {
            var stack = await workspace.SelectStackAsync(name, cancellationToken).ConfigureAwait(false);
            drift[name] = await RefreshAsync(stack, settings, cancellationToken).ConfigureAwait(false) > 0;
        }

        if (settings.MetricsFile is { } path)
        {
            await DriftMetrics.WriteAsync(path, drift, cancellationToken).ConfigureAwait(false);
        }

        if (settings.All && !settings.Json)
        {
            var drifted = drift.Where(static d => d.Value).Select(static d => d.Key).ToList();
            CliConsole.Out.MarkupLine(drifted.Count == 0
                ? $"\nNo drift in any of {drift.Count} stack(s)."
                : $"\n[yellow]Drift in {drifted.Count} of {drift.Count} stack(s):[/] {Markup.Escape(string.Join(", ", drifted))}.");
        }

        return settings.ExpectNoChanges && drift.ContainsValue(true) ? ExitCodes.ChangesPending : ExitCodes.Success;
    }

    /// <summary>Refreshes one stack; returns how many of its resources drifted.</summary>
    private static async Task<int> RefreshAsync(WorkspaceStack stack, RefreshSettings settings, CancellationToken cancellationToken)
    {
        var renderer = new OperationRenderer(settings.Json, settings.Diff);
        renderer.Heading($"Refreshing stack '{stack.Name}':");
        var options = CliWorkspace.Apply(new RefreshOptions(), settings, renderer.OnEvent);
        renderer.BeginApplying();
        var result = await renderer.ApplyAsync(() => stack.RefreshAsync(options, cancellationToken)).ConfigureAwait(false);
        var drifted = result.Steps.Count(static s => !s.Changed.IsDefaultOrEmpty || s.Op == Deployment.StepOp.Forget);
        renderer.PrintRefreshOutcome(result.Steps.Length, drifted);
        renderer.PrintSummary(result.Summary, result.Duration);
        return drifted;
    }
}

/// <summary>
/// The drift gauge for the drift alert, in the Prometheus text format. The series name is the one the alert rule
/// reads, owned by the observability component.
/// </summary>
internal static class DriftMetrics
{
    public static async Task WriteAsync(string path, IReadOnlyDictionary<string, bool> drift, CancellationToken cancellationToken)
    {
        var series = Observability.Infrastructure.InfrastructureRules.DriftSeries;
        var lines = new List<string>
        {
            $"# HELP {series} 1 when the stack's resources differ from its state (the last refresh found drift), else 0.",
            $"# TYPE {series} gauge",
        };
        lines.AddRange(drift.Select(d => $"{series}{{stack=\"{Escape(d.Key)}\"}} {(d.Value ? 1 : 0)}"));
        // Written beside the target and renamed, so a collector never reads half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, string.Join('\n', lines) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
