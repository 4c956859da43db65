using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Infra.Providers;
using Infra.State;
using Infra.Values;

namespace Infra.Deployment;

/// <summary>
/// Reads every custom resource back and records drift: changed inputs or outputs are written to state, and a
/// resource deleted outside the engine is dropped from state (so the next up recreates it). In a preview the
/// refreshed view stays in memory.
/// </summary>
internal static class Refresher
{
    public static async Task<(StackSnapshot Snapshot, ImmutableArray<PlannedStep> Steps)> RefreshAsync(
        StackSnapshot snapshot,
        ProviderSet providers,
        StackStateStore store,
        Journal? journal,
        int parallel,
        Action<EngineEvent> events,
        CancellationToken cancellationToken)
    {
        var results = new ConcurrentDictionary<int, ResourceState?>();
        var steps = new ConcurrentBag<PlannedStep>();
        using var slots = new SemaphoreSlim(parallel);
        var errors = new ConcurrentBag<string>();

        await Task.WhenAll(snapshot.Resources.Select(async (resource, index) =>
        {
            if (!resource.Custom)
            {
                return;
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            try
            {
                var read = await providers.For(resource.Urn, resource.Type).ReadAsync(
                    new ReadRequest(resource.Urn, resource.Type, resource.Id, resource.Inputs, resource.Outputs), cancellationToken).ConfigureAwait(false);
                var step = Refreshed(resource, read, out var updated);
                if (read.Status == ReadStatus.Indeterminate)
                {
                    events(new DiagnosticEvent(DiagnosticSeverity.Warning, "the provider cannot read this resource back; its state is unchanged.", resource.Urn));
                    return;
                }

                if (updated is null || !updated.SameAs(resource))
                {
                    results[index] = updated;
                    if (journal is not null)
                    {
                        await journal.WriteAsync([updated is null ? StackStateStore.Remove(resource) : store.Upsert(updated)]).ConfigureAwait(false);
                    }
                }

                steps.Add(step);
                events(new StepCompletedEvent(step, clock.Elapsed));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                errors.Add($"{resource.Urn}: {Deployment.Describe(ex)}");
                events(new DiagnosticEvent(DiagnosticSeverity.Error, $"refresh failed: {Deployment.Describe(ex)}", resource.Urn));
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);

        if (!errors.IsEmpty)
        {
            throw new InfraException($"refresh failed for {errors.Count} resource(s): {string.Join("; ", errors.Take(3))}");
        }

        var resources = snapshot.Resources
            .Select((r, i) => results.TryGetValue(i, out var updated) ? updated : r)
            .OfType<ResourceState>()
            .ToImmutableArray();
        return (snapshot with { Resources = resources }, [.. steps.OrderBy(static s => s.Urn, StringComparer.Ordinal)]);
    }

    private static PlannedStep Refreshed(ResourceState resource, ReadResponse read, out ResourceState? updated)
    {
        var step = new PlannedStep
        {
            Urn = resource.Urn,
            Type = resource.Type,
            Op = StepOp.Refresh,
            Parent = resource.Parent,
            Dependencies = resource.Dependencies,
            OldInputs = resource.Inputs,
            OldOutputs = resource.Outputs,
        };
        if (read.Status != ReadStatus.Found)
        {
            updated = read.Status == ReadStatus.NotFound ? null : resource;
            return step with { Op = StepOp.Forget, Reason = "deleted outside infra" };
        }

        // An artifact's outputs also hold what its command recorded (the backup a copy came from), which no provider
        // reads back: what the read reports wins, the rest is kept.
        var outputs = resource.IsArtifact ? read.Outputs.Aggregate(resource.Outputs, static (kept, live) => kept.SetItem(live.Key, live.Value)) : read.Outputs;
        updated = resource with { Id = read.Id ?? resource.Id, Inputs = read.Inputs, Outputs = outputs };
        var changed = PropertyDiff.Compare(resource.Inputs, read.Inputs).Select(static c => c.Path.ToString())
            .Concat(PropertyDiff.Compare(resource.Outputs, outputs).Select(static c => "outputs." + c.Path))
            .Distinct(StringComparer.Ordinal)
            .ToImmutableArray();
        return step with
        {
            NewInputs = read.Inputs,
            NewOutputs = outputs,
            Changed = changed,
            Reason = changed.IsEmpty ? null : "drift",
        };
    }
}
