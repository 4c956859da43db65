using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Infra.Automation;
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

/// <summary>
/// Plans and (unless a dry run) applies one stack's program against its prior state. Preview and up run the same
/// code: a dry run asks providers to predict instead of act and writes nothing, which is why a preview shows
/// exactly what up will do.
/// </summary>
/// <remarks>
/// Resources run as a dataflow: each starts as soon as what it waits for is done, and a semaphore bounds the
/// provider operations in flight. Every change is journaled before its provider call and after it.
/// </remarks>
internal sealed partial class Deployment : IDisposable
{
    private readonly DeploymentKind _kind;
    private readonly bool _dryRun;
    private readonly string _stack;
    private readonly ResourceGraph? _graph;
    private readonly ProgramContext? _program;
    private readonly StackSnapshot _prior;
    private readonly ProviderSet _providers;
    private readonly OperationOptions _options;
    private readonly StackStateStore _store;
    private readonly Journal? _journal;
    private readonly Action<EngineEvent> _events;
    private readonly CancellationToken _cancellationToken;
    private readonly SemaphoreSlim _slots;
    private readonly DeploymentScope _scope;
    private readonly Dictionary<Resource, Node> _nodes = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, ResourceState> _olds = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<PlannedStep> _steps = [];
    private readonly ConcurrentBag<ResourceState> _replacedOlds = [];
    private readonly ConcurrentBag<PolicyViolation> _violations = [];
    private readonly ConcurrentBag<InfraException> _failures = [];
    private readonly ImmutableHashSet<string>? _targets;
    private readonly ImmutableDictionary<string, PlannedStep>? _expected;
    private readonly HashSet<string> _claimedOlds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StepClock> _clocks = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    public Deployment(
        DeploymentKind kind,
        bool dryRun,
        string stack,
        ProgramContext? program,
        ResourceGraph? graph,
        StackSnapshot prior,
        ProviderSet providers,
        OperationOptions options,
        SavedPlan? plan,
        StackStateStore store,
        Journal? journal,
        Action<EngineEvent> events,
        CancellationToken cancellationToken)
    {
        _kind = kind;
        _dryRun = dryRun;
        _stack = stack;
        _program = program;
        _graph = graph;
        _prior = prior;
        _providers = providers;
        _options = options;
        _store = store;
        _journal = journal;
        _events = events;
        _cancellationToken = cancellationToken;
        _slots = new SemaphoreSlim(options.Parallel);
        _scope = new DeploymentScope(this, cancellationToken);
        foreach (var resource in prior.Resources.Where(static r => !r.PendingDelete))
        {
            _olds[resource.Urn] = resource;
        }

        if (graph is not null)
        {
            foreach (var resource in graph.Resources)
            {
                _nodes[resource] = new Node(resource);
            }

            if (!options.Targets.IsDefaultOrEmpty)
            {
                var targets = options.Targets.ToImmutableHashSet(StringComparer.Ordinal);
                _targets = options.TargetDependents ? targets.Union(graph.DependentsOf(targets)) : targets;
            }
        }

        if (plan is not null)
        {
            _expected = plan.Steps.ToImmutableDictionary(PlanKey, StringComparer.Ordinal);
        }
    }

    /// <summary>Runs the deployment; failures of individual resources are collected, not thrown.</summary>
    public async Task<DeploymentResult> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        // Apply functions run in this flow; seeing the (closed) program lets a late declaration fail with a clear message.
        using var programScope = _program?.Enter();
        ValidateTargets();
        if (_graph is not null)
        {
            MatchAliases();
            await Task.WhenAll(_nodes.Values.Select(ProcessNodeAsync)).ConfigureAwait(false);
        }

        if (_graph is not null && _options.Policy is { } policy)
        {
            await CheckStackPoliciesAsync(policy).ConfigureAwait(false);
        }

        if (!_stopping || _dryRun)
        {
            await DeleteAsync().ConfigureAwait(false);
        }

        var outputs = await CompleteOutputsAsync().ConfigureAwait(false);
        CheckPlanCovered();
        var order = _graph?.Resources.Select(static (r, i) => (r.Urn, i)).ToDictionary(static p => p.Urn, static p => p.i, StringComparer.Ordinal)
                    ?? [];
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
            Kept = [.. _kept],
            Cancelled = _cancellationToken.IsCancellationRequested,
            Duration = clock.Elapsed,
        };
    }

    public void Dispose() => _slots.Dispose();

    private void ValidateTargets()
    {
        var known = new HashSet<string>(_olds.Keys, StringComparer.Ordinal);
        if (_graph is not null)
        {
            known.UnionWith(_graph.Resources.Select(static r => r.Urn));
        }

        foreach (var (option, urns) in new[] { (nameof(OperationOptions.Targets), _options.Targets), (nameof(OperationOptions.Replaces), _options.Replaces) })
        {
            foreach (var urn in urns.Where(urn => !known.Contains(urn)))
            {
                throw new OperationOptionException(option, $"names '{urn}', which is neither declared by the program nor in the state of stack '{_stack}'.");
            }
        }
    }

    /// <summary>Finds the prior state of resources that were renamed or re-parented, through their aliases.</summary>
    private void MatchAliases()
    {
        foreach (var node in _nodes.Values)
        {
            var resource = node.Resource;
            if (_olds.TryGetValue(resource.Urn, out var old))
            {
                node.Old = old;
                _claimedOlds.Add(resource.Urn);
            }
        }

        foreach (var node in _nodes.Values.Where(static n => n.Old is null))
        {
            foreach (var alias in node.Resource.Options.Aliases)
            {
                var aliasUrn = AliasUrn(node.Resource, alias);
                if (aliasUrn != node.Resource.Urn && _olds.TryGetValue(aliasUrn, out var old) && _claimedOlds.Add(aliasUrn))
                {
                    node.Old = old;
                    node.RenamedFrom = aliasUrn;
                    break;
                }
            }
        }
    }

    private string AliasUrn(Resource resource, Alias alias)
    {
        if (alias.Urn is not null)
        {
            return alias.Urn;
        }

        string? parentChain;
        if (alias.NoParent)
        {
            parentChain = null;
        }
        else if (alias.Parent is not null)
        {
            parentChain = alias.Parent.QualifiedType;
        }
        else if (alias.ParentUrn is not null)
        {
            parentChain = Urn.QualifiedTypeOf(alias.ParentUrn);
        }
        else
        {
            parentChain = resource.Parent?.QualifiedType;
        }

        return Urn.Create(_stack, resource.Program.ProjectName, parentChain, alias.Type ?? resource.Type, alias.Name ?? resource.Name);
    }

    private async Task CheckStackPoliciesAsync(IDeploymentPolicy policy)
    {
        var resources = _nodes.Values
            .Where(static n => n.PolicyView is not null)
            .OrderBy(n => _graph!.Index[n.Resource])
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
        _events(new PolicyViolationEvent(violation));
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
        foreach (var (name, value) in _program.Outputs)
        {
            try
            {
                builder[name] = await InputEvaluatorForOutputs(value).ConfigureAwait(false);
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

    private async Task<PropertyValue> InputEvaluatorForOutputs(object? value)
    {
        var map = await InputEvaluator.EvaluateArgsAsync(new Dictionary<string, object?> { ["v"] = value }, _scope).ConfigureAwait(false);
        return map.GetValueOrDefault("v") ?? PropertyValue.Null;
    }

    private async Task WriteOutputsAsync(PropertyMap outputs)
    {
        if (_journal is not null && outputs.IsFullyKnown && !outputs.Equals(_prior.Outputs))
        {
            await _journal.WriteAsync([_store.SetOutputs(outputs)]).ConfigureAwait(false);
        }
    }

    /// <summary>Records a failure and stops starting new work; the update fails with every failure recorded.</summary>
    private void Fail(InfraException failure)
    {
        _stopping = true;
        _failures.Add(failure);
        _events(failure is ResourceException resource
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

        public ResourceState? Old { get; set; }

        public string? RenamedFrom { get; set; }

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
