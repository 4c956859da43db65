using Infra.Policy;

namespace Infra.Deployment;

/// <summary>Something that happened during an operation. Events stream to the CLI and to Automation API callers.</summary>
public abstract record EngineEvent
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>An operation started.</summary>
/// <param name="Stack">The stack.</param>
/// <param name="Project">The project.</param>
/// <param name="Operation">preview, update, refresh, destroy or import.</param>
/// <param name="Preview">True when nothing will change.</param>
/// <param name="Parallel">The maximum number of concurrent provider operations.</param>
public sealed record PreludeEvent(string Stack, string Project, string Operation, bool Preview, int Parallel) : EngineEvent;

/// <summary>A step started.</summary>
/// <param name="Step">The step.</param>
public sealed record StepStartedEvent(PlannedStep Step) : EngineEvent;

/// <summary>A step finished (in a preview: was planned).</summary>
/// <param name="Step">The step with its final inputs and outputs.</param>
/// <param name="Duration">How long it took.</param>
public sealed record StepCompletedEvent(PlannedStep Step, TimeSpan Duration) : EngineEvent;

/// <summary>A step failed.</summary>
/// <param name="Step">The step.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Duration">How long it ran.</param>
public sealed record StepFailedEvent(PlannedStep Step, string Message, TimeSpan Duration) : EngineEvent;

/// <summary>The severity of a diagnostic.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Information.</summary>
    Info,

    /// <summary>Something the user should look at.</summary>
    Warning,

    /// <summary>A failure.</summary>
    Error,
}

/// <summary>A message, optionally about one resource.</summary>
/// <param name="Severity">How serious.</param>
/// <param name="Message">The message (never holds secret values).</param>
/// <param name="Urn">The resource concerned, if any.</param>
public sealed record DiagnosticEvent(DiagnosticSeverity Severity, string Message, string? Urn = null) : EngineEvent;

/// <summary>A policy violation.</summary>
/// <param name="Violation">The violation.</param>
public sealed record PolicyViolationEvent(PolicyViolation Violation) : EngineEvent;

/// <summary>The operation finished.</summary>
/// <param name="Summary">Counts by operation.</param>
/// <param name="Duration">Total time.</param>
/// <param name="Result">succeeded, failed or cancelled.</param>
public sealed record SummaryEvent(ChangeSummary Summary, TimeSpan Duration, string Result) : EngineEvent;
