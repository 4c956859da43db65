using System.Collections.Concurrent;
using System.Collections.Immutable;
using Infra.State;

namespace Infra.Deployment;

internal sealed partial class Deployment
{
    private readonly ConcurrentBag<ResourceState> _replacedOlds = [];
    private readonly ConcurrentDictionary<string, bool> _handledCopies = new(StringComparer.Ordinal);

    /// <summary>
    /// Deletes what the planner says must go (see <see cref="Planner.DeleteCandidates"/>). A resource is deleted only
    /// after everything that depends on it or is its child.
    /// </summary>
    private async Task DeleteAsync()
    {
        // What destroy keeps is reported once, by the host, from DeploymentResult.Kept: an event here would repeat
        // the whole list for the preview and again for the run.
        var candidates = _planner.DeleteCandidates(_replacedOlds, _handledCopies.Keys.ToHashSet(StringComparer.Ordinal));

        if (candidates.Count == 0)
        {
            return;
        }

        if (_kind == DeploymentKind.Destroy && !await CheckDeletesAsync(candidates).ConfigureAwait(false))
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

        if (_kind == DeploymentKind.Destroy)
        {
            // Artifacts (restored copies) go before anything the program declared: they may hold what it declared
            // (a copy's tables belong to the tenant's role), never the other way round.
            var artifacts = candidates.Where(static c => c.State.IsArtifact).ToList();
            foreach (var item in candidates.Where(static c => !c.State.IsArtifact))
            {
                waitsFor[item].AddRange(artifacts);
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

    /// <summary>
    /// Asks each provider that can (<see cref="Providers.IDeleteCheck"/>) whether a delete of this destroy would fail
    /// once the others ran. Every blocker is recorded and nothing is deleted, so a destroy never stops half way for a
    /// reason that could be seen before it began.
    /// </summary>
    private async Task<bool> CheckDeletesAsync(IReadOnlyList<DeleteItem> candidates)
    {
        var deleted = candidates
            .Where(static c => c.State.Custom && !c.State.RetainOnDelete && c.State.Id is not null)
            .ToList();
        var objects = deleted.Select(static c => new Providers.DeletedObject(c.State.Type, c.State.Id!)).ToImmutableArray();
        var checks = deleted.Select(async item =>
        {
            var state = item.State;
            await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
            try
            {
                if (_services.Providers.For(state.Urn, state.Type) is Providers.IDeleteCheck check &&
                    await check.CheckDeleteAsync(new Providers.DeleteCheckRequest(state.Urn, state.Type, state.Id!, state.Inputs, state.Outputs, objects),
                        _cancellationToken).ConfigureAwait(false) is { } blocker)
                {
                    Fail(new DeleteBlockedException(state.Urn, blocker));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fail(state.Urn, ex);
            }
            finally
            {
                _slots.Release();
            }
        });
        await Task.WhenAll(checks).ConfigureAwait(false);
        return !_stopping;
    }

    private async Task<bool> RunDeleteAsync(DeleteItem item, List<Task<bool>> before)
    {
        var results = await Task.WhenAll(before).ConfigureAwait(false);
        var state = item.State;
        if (results.Any(static ok => !ok) || (_stopping && !_dryRun) || _cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        PlannedStep step;
        try
        {
            step = _planner.Delete(item);
        }
        catch (InfraException refused)
        {
            Fail(state.Urn, refused);
            return false;
        }

        var clock = new StepClock(step);
        _clocks[step.Urn + "#delete"] = clock;
        if (_dryRun || !state.Custom || state.RetainOnDelete)
        {
            clock.Start(Events);
        }

        try
        {
            if (!_dryRun)
            {
                var provider = state.Custom ? _services.Providers.For(state.Urn, state.Type) : null;
                await DeleteOneAsync(state, provider, rename: null).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Events(new StepFailedEvent(step, Describe(ex), clock.Elapsed));
            Fail(state.Urn, ex);
            return false;
        }

        if (!item.Replaced)
        {
            _steps.Add(step);
        }

        Events(new StepCompletedEvent(step, clock.Elapsed));
        return true;
    }
}
