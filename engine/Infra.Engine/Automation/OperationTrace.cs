using System.Collections.Concurrent;
using System.Diagnostics;
using Infra.Deployment;

namespace Infra.Automation;

/// <summary>
/// Traces one operation from its events: a span for the operation, a child span for each resource step. Spans are
/// parented explicitly, never through <see cref="Activity.Current"/>, which steps running in parallel would mix up;
/// nothing is recorded unless a host listens to <see cref="EngineTelemetry.SourceName"/>.
/// </summary>
internal sealed class OperationTrace : IDisposable
{
    private readonly Activity? _operation;
    private readonly ConcurrentDictionary<(string Urn, StepOp Op), Activity> _steps = new();

    public OperationTrace(string kind, string stack, string project)
    {
        var previous = Activity.Current;
        _operation = EngineTelemetry.Source.StartActivity($"infra {kind}", ActivityKind.Internal, previous?.Context ?? default);
        Activity.Current = previous;
        _operation?.SetTag("infra.operation", kind).SetTag("infra.stack", stack).SetTag("infra.project", project);
    }

    /// <summary>Passes every event on to <paramref name="events"/> after tracing it.</summary>
    public Action<EngineEvent> Wrap(Action<EngineEvent> events) => _operation is null ? events : engineEvent =>
    {
        Observe(engineEvent);
        events(engineEvent);
    };

    /// <summary>Records the operation's result (<c>succeeded</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    public void Finish(string result)
    {
        _operation?.SetTag("infra.result", result);
        _operation?.SetStatus(result == "succeeded" ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result == "succeeded" ? null : result);
    }

    public void Dispose()
    {
        foreach (var step in _steps.Values)
        {
            step.SetStatus(ActivityStatusCode.Error, "unfinished").Stop();
        }

        _operation?.Stop();
    }

    private void Observe(EngineEvent engineEvent)
    {
        switch (engineEvent)
        {
            case StepStartedEvent started:
                if (StartStep(started.Step, DateTimeOffset.UtcNow) is { } activity)
                {
                    _steps[(started.Step.Urn, started.Step.Op)] = activity;
                }

                break;
            case StepCompletedEvent completed:
                EndStep(completed.Step, completed.Duration, error: null);
                break;
            case StepFailedEvent failed:
                EndStep(failed.Step, failed.Duration, failed.Message);
                break;
        }
    }

    private Activity? StartStep(PlannedStep step, DateTimeOffset start)
    {
        var previous = Activity.Current;
        var activity = EngineTelemetry.Source.StartActivity($"{StepOps.Name(step.Op)} {step.Type}", ActivityKind.Internal, _operation!.Context, startTime: start);
        Activity.Current = previous;
        return activity?.SetTag("infra.urn", step.Urn).SetTag("infra.type", step.Type).SetTag("infra.step", StepOps.Name(step.Op));
    }

    private void EndStep(PlannedStep step, TimeSpan duration, string? error)
    {
        // A step that only reports its end (a preview's planned step) gets a span as long as the step says it took.
        var activity = _steps.TryRemove((step.Urn, step.Op), out var started) ? started : StartStep(step, DateTimeOffset.UtcNow - duration);
        if (activity is null)
        {
            return;
        }

        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error);
        }

        activity.Stop();
    }
}
