using System.Collections.Concurrent;
using System.Diagnostics;
using Infra.Automation;
using Infra.Deployment;
using Infra.Policy;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infra.Cli.Rendering;

/// <summary>
/// Renders an operation for people or machines. Human output prints the plan, then, while applying, a live view of
/// the resources in flight with their operation and elapsed time (on a terminal) or one line per finished step
/// (otherwise). JSON output streams one event per line.
/// </summary>
internal sealed class OperationRenderer
{
    private readonly IAnsiConsole _console;
    private readonly bool _json;
    private readonly bool _diff;
    private readonly bool _streamJson;
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, (PlannedStep Step, Stopwatch Clock)> _inFlight = new(StringComparer.Ordinal);
    private readonly List<string> _recent = [];
    private readonly List<PolicyViolation> _violations = [];
    private Policies.PolicyPackSet? _policyPacks;
    // Heading lines wait for the first real output, so an error before any output stays one line.
    private readonly List<string> _pendingHeading = [];
    private bool _applying;
    private bool _live;
    private int _done;

    /// <param name="json">Machine-readable output.</param>
    /// <param name="diff">Show property-level diffs.</param>
    /// <param name="streamJson">With <paramref name="json"/>: stream events as JSON lines (up, destroy, refresh). A preview
    /// prints one plan document instead, so it streams nothing.</param>
    public OperationRenderer(bool json, bool diff, bool streamJson = true)
    {
        _console = json ? CliConsole.Error : CliConsole.Out;
        _json = json;
        _diff = diff;
        _streamJson = streamJson;
    }

    public IReadOnlyList<PolicyViolation> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Records the policy packs the operation runs, to name them under the plan.</summary>
    public void OnPolicyPacks(Policies.PolicyPackSet packs)
    {
        lock (_gate)
        {
            _policyPacks = packs;
        }
    }

    /// <summary>Handles an engine event; called from many threads.</summary>
    public void OnEvent(EngineEvent engineEvent)
    {
        lock (_gate)
        {
            if (engineEvent is PolicyViolationEvent violation && !_violations.Contains(violation.Violation))
            {
                _violations.Add(violation.Violation);
            }

            if (_json)
            {
                if (_streamJson && (_applying || engineEvent is not (StepStartedEvent or StepCompletedEvent or StepFailedEvent)))
                {
                    CliConsole.StdOut.WriteLine(EventJson.Serialize(engineEvent));
                }

                return;
            }

            switch (engineEvent)
            {
                case DiagnosticEvent { Severity: DiagnosticSeverity.Error, Urn: not null }:
                    // A resource's error ends the operation, and the error line that ends it names the resource and
                    // says what is wrong: printed here as well, it would be reported twice.
                    break;
                case DiagnosticEvent diagnostic:
                    var colour = diagnostic.Severity switch { DiagnosticSeverity.Error => "red", DiagnosticSeverity.Warning => "yellow", _ => "grey" };
                    var about = diagnostic.Urn is null ? string.Empty : $"{Markup.Escape(diagnostic.Urn)}: ";
                    WriteLine($"  [{colour}]{diagnostic.Severity.ToString().ToLowerInvariant()}:[/] {about}{Markup.Escape(diagnostic.Message)}");
                    break;
                case StepStartedEvent started when _applying:
                    _inFlight[started.Step.Urn + started.Step.Op] = (started.Step, Stopwatch.StartNew());
                    break;
                case StepCompletedEvent completed when _applying:
                    _inFlight.TryRemove(completed.Step.Urn + completed.Step.Op, out _);
                    _done++;
                    if (StepOps.IsChange(completed.Step.Op) || (completed.Step.Op == StepOp.Refresh && !completed.Step.Changed.IsDefaultOrEmpty))
                    {
                        WriteLine(StepText.Line(completed.Step, preview: false, completed.Duration));
                    }

                    break;
                case StepFailedEvent failed when _applying:
                    _inFlight.TryRemove(failed.Step.Urn + failed.Step.Op, out _);
                    _done++;
                    WriteLine($"  [red]x failed[/]    {Markup.Escape(failed.Step.Type)} [bold]{Markup.Escape(Urn.NameOf(failed.Step.Urn))}[/]: {Markup.Escape(failed.Message)}");
                    break;
            }
        }
    }

    /// <summary>
    /// A heading, printed with the first output under it: an operation that fails before printing anything shows
    /// its one error line alone, without a "Previewing update…" that leads nowhere.
    /// </summary>
    public void Heading(string text)
    {
        if (_json)
        {
            return;
        }

        lock (_gate)
        {
            FlushHeading();
            _pendingHeading.Add($"[bold]{Markup.Escape(text)}[/]");
        }
    }

    private void FlushHeading()
    {
        foreach (var line in _pendingHeading)
        {
            _console.MarkupLine(line);
        }

        _pendingHeading.Clear();
    }

    /// <summary>A plain line under a heading (such as where the stack's objects go); nothing when null or in JSON mode.</summary>
    public void Detail(string? text)
    {
        if (!_json && text is not null)
        {
            lock (_gate)
            {
                _pendingHeading.Add($"[dim]{Markup.Escape(text)}[/]");
            }
        }
    }

    /// <summary>Prints a plan: every change (with diffs on request), policy violations by resource, and the counts.</summary>
    public void PrintPlan(PreviewResult preview)
    {
        if (_json)
        {
            return;
        }

        FlushHeading();
        foreach (var step in preview.Plan.Steps.Where(static s => StepOps.IsChange(s.Op) || (s.Op == StepOp.Refresh && !s.Changed.IsDefaultOrEmpty)))
        {
            _console.MarkupLine(StepText.Line(step, preview: true));
            if (_diff)
            {
                foreach (var line in StepText.Diff(step))
                {
                    _console.MarkupLine(line);
                }
            }
        }

        PrintViolations(preview.Violations);
        _console.WriteLine();
        if (_policyPacks is { } packs)
        {
            _console.MarkupLine(StepText.PolicyPacks(packs));
        }

        foreach (var line in StepText.Summary(preview.Summary, preview: true))
        {
            _console.MarkupLine(line);
        }
    }

    public void PrintViolations(IEnumerable<PolicyViolation> violations)
    {
        var list = violations.ToList();
        if (_json || list.Count == 0)
        {
            return;
        }

        FlushHeading();
        _console.WriteLine();
        _console.MarkupLine("[bold]Policy violations:[/]");
        foreach (var group in list.GroupBy(static v => v.Urn ?? "(stack)").OrderBy(static g => g.Key, StringComparer.Ordinal))
        {
            _console.MarkupLine($"  [bold]{Markup.Escape(group.Key)}[/]");
            foreach (var v in group)
            {
                var colour = v.Level == EnforcementLevel.Mandatory ? "red" : "yellow";
                var kind = v.IsPolicyError ? "policy error" : v.Level.ToString().ToLowerInvariant();
                _console.MarkupLine($"    [{colour}][[{kind}]][/] {Markup.Escape(v.Pack)}@{Markup.Escape(v.PackVersion)}/{Markup.Escape(v.Policy)}: {Markup.Escape(v.Message)}");
            }
        }
    }

    /// <summary>Says in words whether a refresh found drift, so "nothing changed" never has to be inferred from counts.</summary>
    public void PrintRefreshOutcome(int read, int drifted)
    {
        if (_json)
        {
            return;
        }

        FlushHeading();
        _console.WriteLine();
        _console.MarkupLine(drifted == 0
            ? $"{StepText.Symbol(StepOp.Refresh)} No drift: all {read} resource(s) match their state."
            : $"{StepText.Symbol(StepOp.Refresh)} [yellow]Drift in {drifted} of {read} resource(s)[/]; state now records what was read.");
    }

    public void PrintSummary(ChangeSummary summary, TimeSpan duration)
    {
        if (_json)
        {
            return;
        }

        FlushHeading();
        _console.WriteLine();
        foreach (var line in StepText.Summary(summary, preview: false))
        {
            _console.MarkupLine(line);
        }

        _console.MarkupLine($"\nDuration: {StepText.Seconds(duration)}");
    }

    /// <summary>From now on, step events belong to the apply phase (the preview before it is printed as a plan).</summary>
    public void BeginApplying()
    {
        lock (_gate)
        {
            _applying = true;
        }
    }

    /// <summary>Runs an operation, with a live view of in-flight resources on a terminal once applying begins.</summary>
    public async Task<T> ApplyAsync<T>(Func<Task<T>> apply)
    {
        if (_json || !_console.Profile.Capabilities.Interactive || !CliConsole.IsInteractive)
        {
            return await apply().ConfigureAwait(false);
        }

        T result = default!;
        await _console.Live(Render()).AutoClear(true).StartAsync(async context =>
        {
            lock (_gate)
            {
                _live = true;
            }

            var work = apply();
            while (!work.IsCompleted)
            {
                context.UpdateTarget(Render());
                await Task.WhenAny(work, Task.Delay(100)).ConfigureAwait(false);
            }

            result = await work.ConfigureAwait(false);
        }).ConfigureAwait(false);
        lock (_gate)
        {
            _live = false;
            foreach (var line in _recent)
            {
                _console.MarkupLine(line);
            }
        }

        return result;
    }

    private void WriteLine(string markup)
    {
        FlushHeading();
        if (_live)
        {
            _recent.Add(markup);
        }
        else
        {
            _console.MarkupLine(markup);
        }
    }

    private Rows Render()
    {
        lock (_gate)
        {
            var table = new Table().NoBorder().HideHeaders().AddColumn("op").AddColumn("resource").AddColumn("elapsed");
            foreach (var (step, clock) in _inFlight.Values.OrderBy(static v => v.Clock.Elapsed).Reverse().Take(15))
            {
                table.AddRow(
                    new Markup($"{StepText.Symbol(step.Op)} {StepText.Verb(step.Op, preview: true)}"),
                    new Markup($"{Markup.Escape(step.Type)} [bold]{Markup.Escape(Urn.NameOf(step.Urn))}[/]"),
                    new Markup($"[grey]{StepText.Seconds(clock.Elapsed)}[/]"));
            }

            var lines = _recent.TakeLast(10).Select(static l => (IRenderable)new Markup(l)).ToList();
            lines.Add(new Markup($"[grey]{_done} done, {_inFlight.Count} in progress[/]"));
            lines.Add(table);
            return new Rows(lines);
        }
    }
}
