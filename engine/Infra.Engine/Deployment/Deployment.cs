using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Infra.Policy;
using Infra.State;
using Infra.Values;

namespace Infra.Deployment;

/// <summary>What kind of deployment runs.</summary>
internal enum DeploymentKind
{
    /// <summary>Converge state to the program (preview and up).</summary>
    Update,

    /// <summary>Delete everything except protected resources.</summary>
    Destroy,
}

/// <summary>What a deployment works with: the stack's providers, its state, the journal, where events go and its bounds.</summary>
/// <param name="Providers">The providers, created on first use.</param>
/// <param name="Store">The stack's state store.</param>
/// <param name="Journal">The journal of a real run; <see langword="null"/> in a dry run, which writes nothing.</param>
/// <param name="Events">Receives engine events, from many threads.</param>
/// <param name="Parallel">The most provider operations in flight.</param>
/// <param name="Policy">The policy packs to enforce, if any.</param>
internal sealed record DeploymentServices(
    ProviderSet Providers, StackStateStore Store, Journal? Journal, Action<EngineEvent> Events, int Parallel, IDeploymentPolicy? Policy);

/// <summary>
/// Executes one stack's deployment: the <see cref="Planner"/> decides each step, and this class carries it out.
/// Preview and up run the same code: a dry run asks providers to predict instead of act and writes nothing, which is
/// why a preview shows exactly what up will do.
/// </summary>
/// <remarks>
/// Resources run as a dataflow: each starts as soon as what it waits for is done, and a semaphore bounds the
/// provider operations in flight. Every change is journaled before its provider call and after it.
/// </remarks>
internal sealed partial class Deployment : IDisposable
{
    private readonly DeploymentKind _kind;
    private readonly bool _dryRun;
    private readonly ProgramRun? _program;
    private readonly StackSnapshot _prior;
    private readonly Planner _planner;
    private readonly DeploymentServices _services;
    private readonly CancellationToken _cancellationToken;
    private readonly SemaphoreSlim _slots;
    private readonly DeploymentScope _scope;
    private readonly Dictionary<Resource, Node> _nodes = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentBag<PlannedStep> _steps = [];
    private readonly ConcurrentBag<PolicyViolation> _violations = [];
    private readonly ConcurrentBag<InfraException> _failures = [];
    private readonly ConcurrentDictionary<string, StepClock> _clocks = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    public Deployment(
        DeploymentKind kind, bool dryRun, ProgramRun? program, StackSnapshot prior, Planner planner, DeploymentServices services,
        CancellationToken cancellationToken)
    {
        _kind = kind;
        _dryRun = dryRun;
        _program = program;
        _prior = prior;
        _planner = planner;
        _services = services;
        _cancellationToken = cancellationToken;
        _slots = new SemaphoreSlim(services.Parallel);
        _scope = new DeploymentScope(this, cancellationToken);
        foreach (var resource in program?.Graph.Resources ?? [])
        {
            _nodes[resource] = new Node(resource);
        }
    }

    private Action<EngineEvent> Events => _services.Events;

    /// <summary>Runs the deployment; failures of individual resources are collected, not thrown.</summary>
    public async Task<DeploymentResult> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        // Apply functions run in this flow; seeing the (closed) program lets a late declaration fail with a clear message.
        using var programScope = _program?.Context.Enter();
        await Task.WhenAll(_nodes.Values.Select(ProcessNodeAsync)).ConfigureAwait(false);
        if (_program is not null && _services.Policy is { } policy)
        {
            await CheckStackPoliciesAsync(policy).ConfigureAwait(false);
        }

        if (!_stopping || _dryRun)
        {
            await DeleteAsync().ConfigureAwait(false);
        }

        var outputs = await CompleteOutputsAsync().ConfigureAwait(false);
        if (!_stopping)
        {
            foreach (var uncovered in _planner.Uncovered())
            {
                Fail(uncovered);
            }
        }

        var order = _program?.Graph.Resources.Select(static (r, i) => (r.Urn, i)).ToDictionary(static p => p.Urn, static p => p.i, StringComparer.Ordinal) ?? [];
        var steps = _steps
            .OrderBy(s => s.Op == StepOp.Delete ? int.MaxValue : order.GetValueOrDefault(s.Urn, int.MaxValue - 1))
            .ThenBy(static s => s.Urn, StringComparer.Ordinal)
            .ToImmutableArray();
        return new DeploymentResult
        {
            Steps = steps,
            Outputs = outputs,
            Violations = [.. _violations],
            Failures = [.. _failures],
            Kept = [.. _planner.Kept],
            Cancelled = _cancellationToken.IsCancellationRequested,
            Duration = clock.Elapsed,
        };
    }

    public void Dispose() => _slots.Dispose();

    private async Task CheckStackPoliciesAsync(IDeploymentPolicy policy)
    {
        var resources = _nodes.Values
            .Where(static n => n.PolicyView is not null)
            .OrderBy(n => _program!.Graph.Index[n.Resource])
            .Select(static n => n.PolicyView!)
            .ToList();
        var violations = await policy.CheckStackAsync(resources, _cancellationToken).ConfigureAwait(false);
        foreach (var violation in violations)
        {
            Report(violation);
        }
    }

    private void Report(PolicyViolation violation)
    {
        _violations.Add(violation);
        Events(new PolicyViolationEvent(violation));
        if (!_dryRun && violation.Level == EnforcementLevel.Mandatory)
        {
            _stopping = true;
        }
    }

    private async Task<PropertyMap> CompleteOutputsAsync()
    {
        if (_program is null)
        {
            var outputs = _kind == DeploymentKind.Destroy ? PropertyMap.Empty : _prior.Outputs;
            await WriteOutputsAsync(outputs).ConfigureAwait(false);
            return outputs;
        }

        var builder = PropertyMap.CreateBuilder();
        foreach (var (name, value) in _program.Context.Outputs)
        {
            try
            {
                builder[name] = await EvaluateOutputAsync(value).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (!_stopping)
                {
                    Fail(new InfraException($"stack output '{name}': {Describe(ex)}", ex));
                }

                builder[name] = _prior.Outputs.GetValueOrDefault(name) ?? PropertyValue.Unknown;
            }
        }

        var result = builder.ToPropertyMap();
        if (!_stopping)
        {
            await WriteOutputsAsync(result).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<PropertyValue> EvaluateOutputAsync(object? value)
    {
        var map = await InputEvaluator.EvaluateArgsAsync(new Dictionary<string, object?> { ["v"] = value }, _scope).ConfigureAwait(false);
        return map.GetValueOrDefault("v") ?? PropertyValue.Null;
    }

    private async Task WriteOutputsAsync(PropertyMap outputs)
    {
        if (_services.Journal is { } journal && outputs.IsFullyKnown && !outputs.Equals(_prior.Outputs))
        {
            await journal.WriteAsync([_services.Store.SetOutputs(outputs)]).ConfigureAwait(false);
        }
    }

    /// <summary>Records a failure and stops starting new work; the update fails with every failure recorded.</summary>
    private void Fail(InfraException failure)
    {
        _stopping = true;
        _failures.Add(failure);
        Events(failure is ResourceException resource
            ? new DiagnosticEvent(DiagnosticSeverity.Error, resource.Reason, resource.Urn)
            : new DiagnosticEvent(DiagnosticSeverity.Error, failure.Message));
    }

    /// <summary>Records <paramref name="exception"/> as the failure of <paramref name="urn"/>, keeping its type when it is already about that resource.</summary>
    private void Fail(string urn, Exception exception) =>
        Fail(exception is ResourceException resource && resource.Urn == urn ? resource : new ResourceException(urn, Describe(exception), exception));

    internal static string Describe(Exception ex) => ex switch
    {
        ResourceException r => r.Reason,
        InfraException i => i.Message,
        OperationCanceledException => "cancelled",
        AggregateException { InnerException: { } inner } => Describe(inner),
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private sealed class Node(Resource resource)
    {
        public Resource Resource { get; } = resource;

        public TaskCompletionSource<ResolvedResource> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PolicyResource? PolicyView { get; set; }
    }

    private sealed class DeploymentScope(Deployment deployment, CancellationToken cancellationToken) : OutputScope(cancellationToken)
    {
        public override bool IsPreview => deployment._dryRun;

        public override async ValueTask<ResolvedResource> ResolveAsync(Resource resource)
        {
            if (!deployment._nodes.TryGetValue(resource, out var node))
            {
                throw new ResourceException(resource.Urn, "it is read by this stack but was declared by another stack program.");
            }

            return await node.Completion.Task.ConfigureAwait(false);
        }
    }
}

/// <summary>A program's run: its context (resources, outputs) and the graph built from it.</summary>
internal sealed record ProgramRun(ProgramContext Context, ResourceGraph Graph);

/// <summary>What a deployment did (or, in a dry run, would do).</summary>
internal sealed record DeploymentResult
{
    public ImmutableArray<PlannedStep> Steps { get; init; } = [];

    public PropertyMap Outputs { get; init; } = PropertyMap.Empty;

    public ImmutableArray<PolicyViolation> Violations { get; init; } = [];

    /// <summary>Every failure: resource errors (<see cref="ResourceException"/>, with their URN) and stack errors.</summary>
    public ImmutableArray<InfraException> Failures { get; init; } = [];

    /// <summary>Destroy only: URNs kept because they are protected or attached to a protected resource.</summary>
    public ImmutableArray<string> Kept { get; init; } = [];

    public bool Cancelled { get; init; }

    public TimeSpan Duration { get; init; }

    public bool HasMandatoryViolations => Violations.Any(static v => v.Level == EnforcementLevel.Mandatory);

    public bool Succeeded => Failures.IsEmpty && !Cancelled && !HasMandatoryViolations;
}
