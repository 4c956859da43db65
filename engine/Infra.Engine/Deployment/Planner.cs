using System.Collections.Immutable;
using Infra.Automation;
using Infra.Providers;
using Infra.State;
using Infra.Values;

namespace Infra.Deployment;

/// <summary>
/// Decides every step of a deployment, and does nothing else: no provider calls, no state writes, no waiting. Given
/// a resource, its prior state, its inputs and (for a resource that exists) the provider's diff, it says whether the
/// step is same, create, import, update, replace or delete, applying <c>IgnoreChanges</c>, <c>ReplaceOnChanges</c>,
/// requested replacements, protection and targets; and, when a saved plan is being applied, it refuses any step the
/// plan did not promise. The <see cref="Deployment"/> executor asks it and carries the steps out.
/// </summary>
internal sealed partial class Planner
{
    private readonly DeploymentKind _kind;
    private readonly string _stack;
    private readonly ResourceGraph? _graph;
    private readonly StackSnapshot _prior;
    private readonly ImmutableHashSet<string> _replaces;
    private readonly ImmutableHashSet<string>? _targets;
    private readonly Dictionary<string, ResourceState> _olds = new(StringComparer.Ordinal);
    private readonly Dictionary<Resource, (ResourceState Old, string? RenamedFrom)> _matches = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _claimedOlds = new(StringComparer.Ordinal);
    private readonly Dictionary<Resource, ImmutableArray<string>> _dependencies = new(ReferenceEqualityComparer.Instance);

    /// <summary>Plans <paramref name="graph"/> (none for a destroy) against <paramref name="prior"/>.</summary>
    /// <exception cref="OperationOptionException">A target or replacement names a resource neither declared nor in state.</exception>
    public Planner(DeploymentKind kind, string stack, ResourceGraph? graph, StackSnapshot prior, OperationOptions options, SavedPlan? expected)
    {
        _kind = kind;
        _stack = stack;
        _graph = graph;
        _prior = prior;
        _replaces = options.Replaces.ToImmutableHashSet(StringComparer.Ordinal);
        foreach (var resource in prior.Resources.Where(static r => !r.PendingDelete))
        {
            _olds[resource.Urn] = resource;
        }

        ValidateTargets(options);
        if (graph is not null)
        {
            foreach (var (resource, dependencies) in graph.Dependencies)
            {
                _dependencies[resource] = [.. dependencies.Select(static d => d.Urn).Order(StringComparer.Ordinal)];
            }

            MatchAliases(graph);
            if (!options.Targets.IsDefaultOrEmpty)
            {
                var targets = options.Targets.ToImmutableHashSet(StringComparer.Ordinal);
                _targets = options.TargetDependents ? targets.Union(graph.DependentsOf(targets)) : targets;
            }
        }

        _expected = expected?.Steps.ToImmutableDictionary(PlanKey, StringComparer.Ordinal);
    }

    /// <summary>True when <paramref name="urn"/> may change: there are no targets, or it is one.</summary>
    public bool IsTargeted(string urn) => _targets is null || _targets.Contains(urn);

    /// <summary>The prior state of a declared resource, found by its URN or one of its aliases.</summary>
    public (ResourceState? Old, string? RenamedFrom) PriorOf(Resource resource) =>
        _matches.TryGetValue(resource, out var match) ? match : (null, null);

    /// <summary>The URNs <paramref name="resource"/> depends on, as declared (inputs read and <c>DependsOn</c>), sorted.</summary>
    public ImmutableArray<string> DependenciesOf(Resource resource) => _dependencies[resource];

    /// <summary>The step of a resource outside the targets that exists: it keeps its state.</summary>
    public PlannedStep Untargeted(Resource resource, ResourceState old) => new()
    {
        Urn = resource.Urn,
        Type = resource.Type,
        Op = StepOp.Same,
        Custom = resource.IsCustom,
        Parent = old.Parent,
        Protect = old.Protect,
        OldInputs = old.Inputs,
        NewInputs = old.Inputs,
        OldOutputs = old.Outputs,
        NewOutputs = old.Outputs,
        Dependencies = DependenciesOf(resource),
        Reason = "not targeted",
    };

    /// <summary>The step of a component: created the first time, the same afterwards; checked against the saved plan.</summary>
    /// <exception cref="PlanMismatchException">The saved plan did not promise it.</exception>
    public PlannedStep Component(Resource component, PropertyMap outputs)
    {
        var (old, renamedFrom) = PriorOf(component);
        return Checked(new PlannedStep
        {
            Urn = component.Urn,
            Type = component.Type,
            Op = old is null ? StepOp.Create : StepOp.Same,
            Custom = false,
            Parent = component.Parent?.Urn,
            NewInputs = PropertyMap.Empty,
            OldInputs = old?.Inputs,
            NewOutputs = outputs,
            OldOutputs = old?.Outputs,
            RenamedFrom = renamedFrom,
            Dependencies = DependenciesOf(component),
        });
    }

    /// <summary>
    /// The inputs to plan with: the declared ones, except that paths under <c>IgnoreChanges</c> keep their prior
    /// values. What the provider diffs and what the step applies.
    /// </summary>
    /// <exception cref="ResourceException">An <c>IgnoreChanges</c> path is invalid.</exception>
    public PropertyMap WithIgnoredChanges(Resource resource, PropertyMap inputs)
    {
        if (PriorOf(resource).Old is not { } old)
        {
            return inputs;
        }

        foreach (var text in resource.Options.IgnoreChanges)
        {
            var path = ParsePath(resource, text, "IgnoreChanges");
            inputs = path.Set(inputs, path.Find(old.Inputs));
        }

        return inputs;
    }

    /// <summary>True when the step depends on the provider's diff: the resource exists and no replacement was requested.</summary>
    public bool NeedsDiff(Resource resource) => PriorOf(resource).Old is not null && !_replaces.Contains(resource.Urn);

    /// <summary>
    /// Decides a custom resource's step from its inputs (after <see cref="WithIgnoredChanges"/>) and, when
    /// <see cref="NeedsDiff"/>, the provider's <paramref name="diff"/>; checked against the saved plan.
    /// </summary>
    /// <exception cref="ResourceException">It is protected and would be replaced, or a <c>ReplaceOnChanges</c> path is invalid.</exception>
    /// <exception cref="PlanMismatchException">The saved plan did not promise this step.</exception>
    public PlannedStep Decide(Resource resource, PropertyMap inputs, DiffResponse? diff)
    {
        var (old, renamedFrom) = PriorOf(resource);
        var step = new PlannedStep
        {
            Urn = resource.Urn,
            Type = resource.Type,
            Op = StepOp.Create,
            Parent = resource.Parent?.Urn,
            Protect = resource.Options.Protect,
            OldInputs = old?.Inputs,
            OldOutputs = old?.Outputs,
            NewInputs = inputs,
            RenamedFrom = renamedFrom,
            Dependencies = DependenciesOf(resource),
            UnknownPaths = [.. PropertyDiff.UnknownPaths(inputs).Select(static p => p.ToString())],
        };
        return Checked(old is null ? Created(resource, step) : Changed(resource, old, step, diff));
    }

    private static PlannedStep Created(Resource resource, PlannedStep step) =>
        resource.Options is CustomResourceOptions { ImportId: not null } ? step with { Op = StepOp.Import } : step;

    private PlannedStep Changed(Resource resource, ResourceState old, PlannedStep step, DiffResponse? diff)
    {
        if (_replaces.Contains(resource.Urn))
        {
            return Protected(old, step with { Op = StepOp.Replace, Reason = ReplacementRequested, DeleteBeforeReplace = resource.Options.DeleteBeforeReplace });
        }

        if (diff is null)
        {
            throw new InvalidOperationException($"The step of '{resource.Urn}' needs the provider's diff.");
        }

        if (!diff.HasChanges)
        {
            return step with { Op = StepOp.Same };
        }

        var forced = ForcedReplacements(resource, diff.Changed);
        var replaces = diff.Replaces.IsDefault ? forced : diff.Replaces.AddRange(forced).Distinct().ToImmutableArray();
        step = step with { Changed = diff.Changed, Replaces = replaces };
        if (replaces.IsEmpty)
        {
            return step with { Op = StepOp.Update };
        }

        return Protected(old, step with
        {
            Op = StepOp.Replace,
            DeleteBeforeReplace = resource.Options.DeleteBeforeReplace || diff.DeleteBeforeReplace,
            Reason = forced.IsEmpty ? null : "replaceOnChanges",
        });
    }

    /// <summary>The reason of a replacement the operation options asked for.</summary>
    internal const string ReplacementRequested = "replacement requested";

    private static PlannedStep Protected(ResourceState old, PlannedStep step) => old.Protect
        ? throw new ResourceException(step.Urn,
            $"it is protected and cannot be replaced ({(step.Replaces.IsDefaultOrEmpty ? ReplacementRequested : $"changed: {string.Join(", ", step.Replaces)}")}); " +
            "set Protect = false and run up first if the replacement is intended.")
        : step;

    private static ImmutableArray<string> ForcedReplacements(Resource resource, ImmutableArray<string> changed)
    {
        if (resource.Options.ReplaceOnChanges.IsDefaultOrEmpty)
        {
            return [];
        }

        if (resource.Options.ReplaceOnChanges.Contains("*"))
        {
            return changed;
        }

        var triggers = resource.Options.ReplaceOnChanges.Select(t => ParsePath(resource, t, "ReplaceOnChanges")).ToList();
        return [.. changed.Where(c => triggers.Any(t => PropertyPath.Parse(c).IsWithin(t)))];
    }

    private static PropertyPath ParsePath(Resource resource, string text, string option)
    {
        try
        {
            return PropertyPath.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new ResourceException(resource.Urn, $"{option} path '{text}' is invalid: {ex.Message}");
        }
    }

    private void ValidateTargets(OperationOptions options)
    {
        var known = new HashSet<string>(_olds.Keys, StringComparer.Ordinal);
        if (_graph is not null)
        {
            known.UnionWith(_graph.Resources.Select(static r => r.Urn));
        }

        foreach (var (option, urns) in new[] { (nameof(OperationOptions.Targets), options.Targets), (nameof(OperationOptions.Replaces), options.Replaces) })
        {
            foreach (var urn in urns.Where(urn => !known.Contains(urn)))
            {
                throw new OperationOptionException(option, $"names '{urn}', which is neither declared by the program nor in the state of stack '{_stack}'.");
            }
        }
    }

    /// <summary>Finds the prior state of each declared resource: by its URN, else through its aliases (renamed or re-parented).</summary>
    private void MatchAliases(ResourceGraph graph)
    {
        foreach (var resource in graph.Resources)
        {
            if (_olds.TryGetValue(resource.Urn, out var old))
            {
                _matches[resource] = (old, null);
                _claimedOlds.Add(resource.Urn);
            }
        }

        foreach (var resource in graph.Resources.Where(r => !_matches.ContainsKey(r)))
        {
            foreach (var alias in resource.Options.Aliases)
            {
                var aliasUrn = AliasUrn(resource, alias);
                if (aliasUrn != resource.Urn && _olds.TryGetValue(aliasUrn, out var old) && _claimedOlds.Add(aliasUrn))
                {
                    _matches[resource] = (old, aliasUrn);
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

        var parentChain = alias.NoParent ? null
            : alias.Parent is not null ? alias.Parent.QualifiedType
            : alias.ParentUrn is not null ? Urn.QualifiedTypeOf(alias.ParentUrn)
            : resource.Parent?.QualifiedType;
        return Urn.Create(_stack, resource.Program.ProjectName, parentChain, alias.Type ?? resource.Type, alias.Name ?? resource.Name);
    }
}
