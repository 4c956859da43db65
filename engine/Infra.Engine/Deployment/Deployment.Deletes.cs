using System.Collections.Concurrent;
using Infra.State;

namespace Infra.Deployment;

internal sealed partial class Deployment
{
    private readonly ConcurrentDictionary<string, bool> _handledCopies = new(StringComparer.Ordinal);
    private readonly List<string> _kept = [];

    /// <summary>
    /// Deletes what the program no longer declares, old copies of replaced resources, and (for destroy) everything
    /// unprotected. A resource is deleted only after everything that depends on it or is its child.
    /// </summary>
    private async Task DeleteAsync()
    {
        var candidates = DeleteCandidates();
        if (candidates.Count == 0)
        {
            return;
        }

        var tasks = new Dictionary<DeleteItem, Task<bool>>();
        var byUrn = candidates.ToLookup(static c => c.State.Urn, StringComparer.Ordinal);
        var waitsFor = candidates.ToDictionary(static c => c, _ => new List<DeleteItem>());
        foreach (var item in candidates)
        {
            // Whatever depends on this item, or is its child, goes first.
            foreach (var dependency in item.State.Dependencies.Append(item.State.Parent).OfType<string>())
            {
                foreach (var target in byUrn[dependency])
                {
                    if (!ReferenceEquals(target, item))
                    {
                        waitsFor[target].Add(item);
                    }
                }
            }
        }

        var gate = new object();
        Task<bool> Schedule(DeleteItem item)
        {
            lock (gate)
            {
                if (!tasks.TryGetValue(item, out var task))
                {
                    task = RunDeleteAsync(item, waitsFor[item].Select(Schedule).ToList());
                    tasks[item] = task;
                }

                return task;
            }
        }

        await Task.WhenAll(candidates.Select(Schedule)).ConfigureAwait(false);
    }

    private async Task<bool> RunDeleteAsync(DeleteItem item, List<Task<bool>> before)
    {
        var results = await Task.WhenAll(before).ConfigureAwait(false);
        var state = item.State;
        if (results.Any(static ok => !ok) || (_stopping && !_dryRun) || _cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var step = new PlannedStep
        {
            Urn = state.Urn,
            Type = state.Type,
            Op = state.RetainOnDelete ? StepOp.Forget : StepOp.Delete,
            Custom = state.Custom,
            Parent = state.Parent,
            OldInputs = state.Inputs,
            OldOutputs = state.Outputs,
            Reason = item.Reason,
        };
        if (!item.Replaced)
        {
            CheckAgainstPlan(step);
        }

        if (state.Protect && _kind == DeploymentKind.Update && !state.PendingDelete)
        {
            Fail(new ResourceException(state.Urn, "it is protected and cannot be deleted; declare it again with Protect = false, run up, then remove it."));
            return false;
        }

        var clock = new StepClock(step);
        _clocks[step.Urn + "#delete"] = clock;
        if (_dryRun || !state.Custom || state.RetainOnDelete)
        {
            clock.Start(_events);
        }

        try
        {
            if (!_dryRun)
            {
                var provider = state.Custom ? _providers.For(state.Urn, state.Type) : null;
                await DeleteOneAsync(state, provider, rename: null).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            _events(new StepFailedEvent(step, Describe(ex), clock.Elapsed));
            Fail(state.Urn, ex);
            return false;
        }

        if (!item.Replaced)
        {
            _steps.Add(step);
        }

        _events(new StepCompletedEvent(step, clock.Elapsed));
        return true;
    }

    private List<DeleteItem> DeleteCandidates()
    {
        var items = new List<DeleteItem>();
        foreach (var copy in _replacedOlds)
        {
            items.Add(new DeleteItem(copy, "replaced", Replaced: true));
        }

        foreach (var copy in _prior.Resources.Where(static r => r.PendingDelete))
        {
            if (!_handledCopies.ContainsKey(copy.Urn) && (_targets is null || _targets.Contains(copy.Urn)))
            {
                items.Add(new DeleteItem(copy, "left over from an earlier replacement", Replaced: false));
            }
        }

        if (_kind == DeploymentKind.Destroy)
        {
            var kept = ProtectedClosure();
            foreach (var state in _olds.Values)
            {
                if (!kept.Contains(state.Urn) && (_targets is null || _targets.Contains(state.Urn)))
                {
                    items.Add(new DeleteItem(state, null, Replaced: false));
                }
            }

            // Protected resources first: they are why the rest stays.
            _kept.AddRange(kept
                .Where(urn => _olds.ContainsKey(urn) && (_targets is null || _targets.Contains(urn)))
                .OrderBy(urn => !_olds[urn].Protect)
                .ThenBy(static urn => urn, StringComparer.Ordinal));
            if (_kept.Count > 0)
            {
                _events(new DiagnosticEvent(DiagnosticSeverity.Warning,
                    $"kept {_kept.Count} resource(s) that are protected or attached to a protected one: {string.Join(", ", _kept)}"));
            }
        }
        else if (_graph is not null)
        {
            foreach (var state in _olds.Values)
            {
                if (!_claimedOlds.Contains(state.Urn) && (_targets is null || _targets.Contains(state.Urn)))
                {
                    items.Add(new DeleteItem(state, null, Replaced: false));
                }
            }
        }

        return items;
    }

    /// <summary>
    /// What destroy must keep: protected resources, everything that depends on or sits under one (deleting a schema or
    /// a grant would change a protected database), and everything those depend on or sit under.
    /// </summary>
    private HashSet<string> ProtectedClosure()
    {
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var state in _olds.Values)
        {
            foreach (var upstream in state.Dependencies.Append(state.Parent).OfType<string>())
            {
                if (!dependents.TryGetValue(upstream, out var list))
                {
                    dependents[upstream] = list = [];
                }

                list.Add(state.Urn);
            }
        }

        var attached = new HashSet<string>(StringComparer.Ordinal);
        var down = new Queue<string>(_olds.Values.Where(static r => r.Protect).Select(static r => r.Urn));
        while (down.Count > 0)
        {
            var urn = down.Dequeue();
            if (attached.Add(urn))
            {
                foreach (var dependent in dependents.GetValueOrDefault(urn) ?? [])
                {
                    down.Enqueue(dependent);
                }
            }
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        var up = new Queue<string>(attached);
        while (up.Count > 0)
        {
            var urn = up.Dequeue();
            if (!kept.Add(urn) || !_olds.TryGetValue(urn, out var state))
            {
                continue;
            }

            foreach (var next in state.Dependencies.Append(state.Parent).OfType<string>())
            {
                up.Enqueue(next);
            }
        }

        return kept;
    }

    private sealed record DeleteItem(ResourceState State, string? Reason, bool Replaced);
}
