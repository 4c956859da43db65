using Infra.Policy;
using Infra.Providers;
using Infra.State;
using Infra.Values;

namespace Infra.Deployment;

internal sealed partial class Deployment
{
    private async Task ProcessNodeAsync(Node node)
    {
        var resource = node.Resource;
        try
        {
            if (!_planner.IsTargeted(resource.Urn))
            {
                if (_planner.PriorOf(resource).Old is { } old)
                {
                    node.Completion.TrySetResult(KeepUntargeted(resource, old));
                }
                else
                {
                    node.Completion.TrySetException(new NotTargetedException(resource.Urn));
                }

                return;
            }

            await WaitForDependenciesAsync(node).ConfigureAwait(false);
            _cancellationToken.ThrowIfCancellationRequested();
            if (_stopping && !_dryRun)
            {
                throw new DependencyFailedException(resource.Urn);
            }

            var resolved = resource.IsCustom
                ? await RegisterCustomAsync(node).ConfigureAwait(false)
                : await RegisterComponentAsync(node).ConfigureAwait(false);
            node.Completion.TrySetResult(resolved);
        }
        catch (NotTargetedException ex)
        {
            Fail(new UntargetedDependencyException(resource.Urn, ex.Urn));
            node.Completion.TrySetException(new DependencyFailedException(resource.Urn));
        }
        catch (DependencyFailedException)
        {
            node.Completion.TrySetException(new DependencyFailedException(resource.Urn));
        }
        catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
        {
            node.Completion.TrySetException(new DependencyFailedException(resource.Urn));
        }
        catch (Exception ex)
        {
            Fail(resource.Urn, ex);
            node.Completion.TrySetException(new DependencyFailedException(resource.Urn));
        }
    }

    private ResolvedResource KeepUntargeted(Resource resource, ResourceState old)
    {
        _steps.Add(_planner.Untargeted(resource, old));
        return new ResolvedResource(PropertyValue.Create(old.Id), old.Outputs);
    }

    private async Task WaitForDependenciesAsync(Node node)
    {
        foreach (var dependency in _program!.Graph.Waits[node.Resource])
        {
            try
            {
                await _nodes[dependency].Completion.Task.ConfigureAwait(false);
            }
            catch (NotTargetedException)
            {
                throw;
            }
            catch (Exception)
            {
                throw new DependencyFailedException(dependency.Urn);
            }
        }
    }

    private async Task<ResolvedResource> RegisterComponentAsync(Node node)
    {
        var component = (ComponentResource)node.Resource;
        var outputs = await InputEvaluator.EvaluateArgsAsync(component.RegisteredOutputs, _scope).ConfigureAwait(false);
        var step = _planner.Component(component, outputs);
        var (old, _) = _planner.PriorOf(component);
        var state = NewState(component, id: null, inputs: PropertyMap.Empty, outputs: outputs);
        if (!_dryRun && outputs.IsFullyKnown && (old is null || !state.SameAs(old)))
        {
            await WriteAsync(RenameFirst(component, _services.Store.Upsert(state))).ConfigureAwait(false);
        }

        _steps.Add(step);
        Events(new StepCompletedEvent(step, TimeSpan.Zero));
        return new ResolvedResource(PropertyValue.Null, outputs);
    }

    private async Task<ResolvedResource> RegisterCustomAsync(Node node)
    {
        var resource = (CustomResource)node.Resource;
        var old = _planner.PriorOf(resource).Old;
        var provider = _services.Providers.For(resource.Urn, resource.Type);
        var declared = await InputEvaluator.EvaluateArgsAsync(resource.Args, _scope).ConfigureAwait(false);
        var check = await provider.CheckAsync(new CheckRequest(resource.Urn, resource.Type, old?.Inputs, declared), _cancellationToken).ConfigureAwait(false);
        if (!check.Failures.IsDefaultOrEmpty)
        {
            throw new ResourceException(resource.Urn,
                "invalid inputs: " + string.Join("; ", check.Failures.Select(static f => $"{f.Property}: {f.Reason}")));
        }

        foreach (var warning in check.Warnings.IsDefault ? [] : check.Warnings)
        {
            Events(new DiagnosticEvent(DiagnosticSeverity.Warning, warning, resource.Urn));
        }

        var inputs = _planner.WithIgnoredChanges(resource, await ApplyPoliciesAsync(node, check.Inputs).ConfigureAwait(false));
        var diff = _planner.NeedsDiff(resource)
            ? await provider.DiffAsync(new DiffRequest(resource.Urn, resource.Type, old!.Id ?? string.Empty, old.Inputs, old.Outputs, inputs), _cancellationToken)
                .ConfigureAwait(false)
            : null;
        var step = _planner.Decide(resource, inputs, diff);
        // The step "starts" when its provider call gets a parallelism slot (CallAsync), so durations exclude queueing.
        var clock = new StepClock(step);
        _clocks[step.Urn] = clock;
        if (StepOps.IsChange(step.Op) && _dryRun)
        {
            clock.Start(Events);
        }

        ResolvedResource resolved;
        try
        {
            resolved = _dryRun
                ? await PreviewStepAsync(resource, provider, step).ConfigureAwait(false)
                : await ApplyStepAsync(resource, provider, step).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not DependencyFailedException)
        {
            Events(new StepFailedEvent(step, Describe(ex), clock.Elapsed));
            throw;
        }

        var completed = step with { NewOutputs = resolved.Outputs };
        _steps.Add(completed);
        Events(new StepCompletedEvent(completed, clock.Elapsed));
        return resolved;
    }

    private async Task<PropertyMap> ApplyPoliciesAsync(Node node, PropertyMap inputs)
    {
        var resource = node.Resource;
        var view = new PolicyResource
        {
            Urn = resource.Urn,
            Type = resource.Type,
            Parent = resource.Parent?.Urn,
            Custom = resource.IsCustom,
            Inputs = inputs,
            Protect = resource.Options.Protect,
            Dependencies = _planner.DependenciesOf(resource),
        };
        if (_services.Policy is not { } policy)
        {
            node.PolicyView = view;
            return inputs;
        }

        var result = await policy.CheckResourceAsync(view, _cancellationToken).ConfigureAwait(false);
        node.PolicyView = view with { Inputs = result.Inputs };
        foreach (var violation in result.Violations)
        {
            Report(violation);
        }

        if (!_dryRun && result.Violations.FirstOrDefault(static v => v.Level == EnforcementLevel.Mandatory) is { } blocking)
        {
            throw new ResourceException(resource.Urn, $"blocked by mandatory policy '{blocking.Pack}/{blocking.Policy}': {blocking.Message}");
        }

        return result.Inputs;
    }

    private ResourceState NewState(Resource resource, string? id, PropertyMap inputs, PropertyMap outputs)
    {
        var old = _planner.PriorOf(resource).Old;
        var now = DateTimeOffset.UtcNow;
        return new ResourceState
        {
            Urn = resource.Urn,
            Type = resource.Type,
            Custom = resource.IsCustom,
            Id = id,
            Parent = resource.Parent?.Urn,
            Inputs = inputs,
            Outputs = outputs,
            Dependencies = _planner.DependenciesOf(resource),
            Protect = resource.Options.Protect,
            RetainOnDelete = resource.Options.RetainOnDelete,
            Created = old?.Created ?? now,
            Modified = old is not null && old.Inputs.Equals(inputs) && old.Outputs.Equals(outputs) ? old.Modified : now,
        };
    }

    /// <summary>The mutations, after renaming the resource's prior state when it was found through an alias.</summary>
    private StoredMutation[] RenameFirst(Resource resource, params StoredMutation[] mutations) =>
        _planner.PriorOf(resource).RenamedFrom is { } from ? [new StoredMutation.RenameResource(from, resource.Urn), .. mutations] : mutations;

    private Task WriteAsync(IReadOnlyList<StoredMutation> mutations) =>
        _services.Journal?.WriteAsync(mutations) ?? Task.CompletedTask;

    /// <summary>A resource could not run because something it waits for failed; the root cause is reported once.</summary>
    private sealed class DependencyFailedException(string urn) : Exception($"{urn} did not complete")
    {
        public string Urn { get; } = urn;
    }

    /// <summary>A resource that is neither targeted nor created yet, read by a targeted one.</summary>
    private sealed class NotTargetedException(string urn) : Exception($"{urn} is not targeted and does not exist")
    {
        public string Urn { get; } = urn;
    }
}
