using System.Collections.Immutable;
using Infra.Policy;
using Infra.Providers;
using Infra.State;
using Infra.Values;

namespace Infra.Deployment;

internal sealed partial class Deployment
{
    /// <summary>The reason of a replacement the operation options asked for.</summary>
    internal const string ReplacementRequested = "replacement requested";

    private async Task ProcessNodeAsync(Node node)
    {
        var resource = node.Resource;
        try
        {
            if (_targets is not null && !_targets.Contains(resource.Urn))
            {
                if (node.Old is null)
                {
                    node.Completion.TrySetException(new NotTargetedException(resource.Urn));
                }
                else
                {
                    node.Completion.TrySetResult(KeepUntargeted(node, node.Old));
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

    private ResolvedResource KeepUntargeted(Node node, ResourceState old)
    {
        _steps.Add(new PlannedStep
        {
            Urn = node.Resource.Urn,
            Type = node.Resource.Type,
            Op = StepOp.Same,
            Custom = node.Resource.IsCustom,
            Parent = old.Parent,
            Protect = old.Protect,
            OldInputs = old.Inputs,
            NewInputs = old.Inputs,
            OldOutputs = old.Outputs,
            NewOutputs = old.Outputs,
            Reason = "not targeted",
        });
        return new ResolvedResource(PropertyValue.Create(old.Id), old.Outputs);
    }

    private async Task WaitForDependenciesAsync(Node node)
    {
        foreach (var dependency in _graph!.Waits[node.Resource])
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
        var state = NewState(node, id: null, inputs: PropertyMap.Empty, outputs: outputs);
        var step = new PlannedStep
        {
            Urn = component.Urn,
            Type = component.Type,
            Op = node.Old is null ? StepOp.Create : StepOp.Same,
            Custom = false,
            Parent = state.Parent,
            NewInputs = PropertyMap.Empty,
            OldInputs = node.Old?.Inputs,
            NewOutputs = outputs,
            OldOutputs = node.Old?.Outputs,
            RenamedFrom = node.RenamedFrom,
        };
        CheckAgainstPlan(step);
        if (!_dryRun && outputs.IsFullyKnown && (node.Old is null || !state.SameAs(node.Old)))
        {
            await WriteAsync(RenameFirst(node, _store.Upsert(state))).ConfigureAwait(false);
        }

        _steps.Add(step);
        _events(new StepCompletedEvent(step, TimeSpan.Zero));
        return new ResolvedResource(PropertyValue.Null, outputs);
    }

    private async Task<ResolvedResource> RegisterCustomAsync(Node node)
    {
        var resource = (CustomResource)node.Resource;
        var old = node.Old;
        var provider = _providers.For(resource.Urn, resource.Type);
        var declared = await InputEvaluator.EvaluateArgsAsync(resource.Args, _scope).ConfigureAwait(false);
        var check = await provider.CheckAsync(new CheckRequest(resource.Urn, resource.Type, old?.Inputs, declared), _cancellationToken).ConfigureAwait(false);
        if (!check.Failures.IsDefaultOrEmpty)
        {
            throw new ResourceException(resource.Urn,
                "invalid inputs: " + string.Join("; ", check.Failures.Select(static f => $"{f.Property}: {f.Reason}")));
        }

        var inputs = await ApplyPoliciesAsync(node, check.Inputs).ConfigureAwait(false);
        var step = await DecideAsync(node, provider, inputs).ConfigureAwait(false);
        CheckAgainstPlan(step);
        // The step "starts" when its provider call gets a parallelism slot (CallAsync), so durations exclude queueing.
        var clock = new StepClock(step);
        _clocks[step.Urn] = clock;
        if (StepOps.IsChange(step.Op) && _dryRun)
        {
            clock.Start(_events);
        }

        ResolvedResource resolved;
        try
        {
            resolved = _dryRun
                ? await PreviewStepAsync(node, provider, step).ConfigureAwait(false)
                : await ApplyStepAsync(node, provider, step).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not DependencyFailedException)
        {
            _events(new StepFailedEvent(step, Describe(ex), clock.Elapsed));
            throw;
        }

        var completed = step with { NewOutputs = resolved.Outputs };
        _steps.Add(completed);
        _events(new StepCompletedEvent(completed, clock.Elapsed));
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
            Dependencies = [.. _graph!.Dependencies[resource].Select(static d => d.Urn)],
        };
        if (_options.Policy is not { } policy)
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

    private async Task<PlannedStep> DecideAsync(Node node, IResourceProvider provider, PropertyMap inputs)
    {
        var resource = node.Resource;
        var old = node.Old;
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
            RenamedFrom = node.RenamedFrom,
            UnknownPaths = [.. PropertyDiff.UnknownPaths(inputs).Select(static p => p.ToString())],
        };
        if (old is null)
        {
            return resource.Options is CustomResourceOptions { ImportId: not null } ? step with { Op = StepOp.Import } : step;
        }

        inputs = ApplyIgnoreChanges(resource, inputs, old.Inputs);
        step = step with { NewInputs = inputs, UnknownPaths = [.. PropertyDiff.UnknownPaths(inputs).Select(static p => p.ToString())] };
        if (_options.Replaces.Contains(resource.Urn))
        {
            return Protected(old, step with { Op = StepOp.Replace, Reason = ReplacementRequested, DeleteBeforeReplace = resource.Options.DeleteBeforeReplace });
        }

        var diff = await provider.DiffAsync(
            new DiffRequest(resource.Urn, resource.Type, old.Id ?? string.Empty, old.Inputs, old.Outputs, inputs), _cancellationToken).ConfigureAwait(false);
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

    private static PlannedStep Protected(ResourceState old, PlannedStep step) => old.Protect
        ? throw new ResourceException(step.Urn,
            $"it is protected and cannot be replaced ({(step.Replaces.IsDefaultOrEmpty ? ReplacementRequested : $"changed: {string.Join(", ", step.Replaces)}")}); " +
            "set Protect = false and run up first if the replacement is intended.")
        : step;

    private static PropertyMap ApplyIgnoreChanges(Resource resource, PropertyMap inputs, PropertyMap oldInputs)
    {
        foreach (var text in resource.Options.IgnoreChanges)
        {
            var path = ParsePath(resource, text, "IgnoreChanges");
            inputs = path.Set(inputs, path.Find(oldInputs));
        }

        return inputs;
    }

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

    private ResourceState NewState(Node node, string? id, PropertyMap inputs, PropertyMap outputs)
    {
        var resource = node.Resource;
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
            Dependencies = [.. _graph!.Dependencies[resource].Select(static d => d.Urn).Order(StringComparer.Ordinal)],
            Protect = resource.Options.Protect,
            RetainOnDelete = resource.Options.RetainOnDelete,
            Created = node.Old?.Created ?? now,
            Modified = node.Old is { } old && old.Inputs.Equals(inputs) && old.Outputs.Equals(outputs) ? old.Modified : now,
        };
    }

    private static StoredMutation[] RenameFirst(Node node, params StoredMutation[] mutations) =>
        node.RenamedFrom is { } from ? [new StoredMutation.RenameResource(from, node.Resource.Urn), .. mutations] : mutations;

    private Task WriteAsync(IReadOnlyList<StoredMutation> mutations) =>
        _journal?.WriteAsync(mutations) ?? Task.CompletedTask;

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
