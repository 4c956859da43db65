using System.Diagnostics;
using Infra.Providers;
using Infra.State;
using Infra.Values;

namespace Infra.Deployment;

internal sealed partial class Deployment
{
    private async Task<ResolvedResource> PreviewStepAsync(Resource resource, IResourceProvider provider, PlannedStep step)
    {
        var old = _planner.PriorOf(resource).Old;
        switch (step.Op)
        {
            case StepOp.Same:
                return new ResolvedResource(PropertyValue.Create(old!.Id), old.Outputs);
            case StepOp.Create or StepOp.Replace:
                var created = await provider.CreateAsync(
                    new CreateRequest(resource.Urn, resource.Type, step.NewInputs!, resource.Options.CustomTimeouts?.Create, Preview: true),
                    _cancellationToken).ConfigureAwait(false);
                return new ResolvedResource(PropertyValue.Unknown, created.Outputs, Predicted: true);
            case StepOp.Update:
                var updated = await provider.UpdateAsync(
                    new UpdateRequest(resource.Urn, resource.Type, old!.Id ?? string.Empty, old.Inputs, old.Outputs, step.NewInputs!,
                        resource.Options.CustomTimeouts?.Update, Preview: true),
                    _cancellationToken).ConfigureAwait(false);
                return new ResolvedResource(PropertyValue.Create(old.Id), updated.Outputs, Predicted: true);
            case StepOp.Import:
                var read = await ReadForImportAsync(resource, provider).ConfigureAwait(false);
                return new ResolvedResource(PropertyValue.Create(read.Id), read.Outputs);
            default:
                throw new InvalidOperationException($"Unexpected step {step.Op} for a declared resource.");
        }
    }

    private async Task<ResolvedResource> ApplyStepAsync(Resource resource, IResourceProvider provider, PlannedStep step)
    {
        var (old, renamedFrom) = _planner.PriorOf(resource);
        var inputs = step.NewInputs!;
        if (!inputs.IsFullyKnown)
        {
            throw new ResourceException(resource.Urn,
                $"inputs {string.Join(", ", PropertyDiff.UnknownPaths(inputs))} are still unknown after their dependencies were applied.");
        }

        switch (step.Op)
        {
            case StepOp.Same:
                var same = NewState(resource, old!.Id, inputs, old.Outputs);
                if (!same.SameAs(old))
                {
                    await WriteAsync(RenameFirst(resource, _services.Store.Upsert(same))).ConfigureAwait(false);
                }

                return new ResolvedResource(PropertyValue.Create(old.Id), old.Outputs);

            case StepOp.Create:
                var created = await CreateAsync(resource, provider, inputs, OperationKind.Create, replacing: null).ConfigureAwait(false);
                return new ResolvedResource(PropertyValue.Create(created.Id), created.Outputs);

            case StepOp.Update:
                var updating = Begin(OperationKind.Update, old!);
                var response = await CallAsync(resource.Urn, "update", resource.Options.CustomTimeouts?.Update, updating, RenameFirst(resource, _services.Store.Begin(updating)),
                    ct => provider.UpdateAsync(new UpdateRequest(resource.Urn, resource.Type, old!.Id ?? string.Empty, old.Inputs, old.Outputs, inputs,
                        resource.Options.CustomTimeouts?.Update, Preview: false), ct)).ConfigureAwait(false);
                var updated = NewState(resource, old!.Id, inputs, response.Outputs);
                await WriteAsync([new StoredMutation.RemovePending(updating.Id), _services.Store.Upsert(updated)]).ConfigureAwait(false);
                return new ResolvedResource(PropertyValue.Create(updated.Id), updated.Outputs);

            case StepOp.Replace when step.DeleteBeforeReplace:
                await DeleteOneAsync(old!, provider, rename: renamedFrom is null ? null : resource).ConfigureAwait(false);
                var recreated = await CreateAsync(resource, provider, inputs, OperationKind.Create, replacing: null, renamed: false).ConfigureAwait(false);
                return new ResolvedResource(PropertyValue.Create(recreated.Id), recreated.Outputs);

            case StepOp.Replace:
                await DeleteEarlierCopyAsync(resource.Urn, provider).ConfigureAwait(false);
                var replacement = await CreateAsync(resource, provider, inputs, OperationKind.CreateReplacement, replacing: old).ConfigureAwait(false);
                return new ResolvedResource(PropertyValue.Create(replacement.Id), replacement.Outputs);

            case StepOp.Import:
                return await ImportAsync(resource, provider).ConfigureAwait(false);

            default:
                throw new InvalidOperationException($"Unexpected step {step.Op} for a declared resource.");
        }
    }

    private async Task<ResourceState> CreateAsync(
        Resource resource, IResourceProvider provider, PropertyMap inputs, OperationKind kind, ResourceState? replacing, bool renamed = true)
    {
        var draft = NewState(resource, id: null, inputs, PropertyMap.Empty);
        var operation = Begin(kind, draft);
        var begin = _services.Store.Begin(operation);
        var response = await CallAsync(resource.Urn, "create", resource.Options.CustomTimeouts?.Create, operation, renamed ? RenameFirst(resource, begin) : [begin],
            ct => provider.CreateAsync(new CreateRequest(resource.Urn, resource.Type, inputs, resource.Options.CustomTimeouts?.Create, Preview: false), ct))
            .ConfigureAwait(false);
        var state = NewState(resource, response.Id, inputs, response.Outputs);
        if (replacing is null)
        {
            await WriteAsync([new StoredMutation.RemovePending(operation.Id), _services.Store.Upsert(state)]).ConfigureAwait(false);
        }
        else
        {
            var oldCopy = replacing with { Urn = resource.Urn, PendingDelete = true };
            await WriteAsync([new StoredMutation.RemovePending(operation.Id), _services.Store.Upsert(oldCopy), _services.Store.Upsert(state)]).ConfigureAwait(false);
            _replacedOlds.Add(oldCopy);
        }

        return state;
    }

    private async Task<ResolvedResource> ImportAsync(Resource resource, IResourceProvider provider)
    {
        var importId = ((CustomResourceOptions)resource.Options).ImportId!;
        var draft = NewState(resource, importId, PropertyMap.Empty, PropertyMap.Empty);
        var operation = Begin(OperationKind.Import, draft);
        var read = await ReadForImportAsync(resource, provider, [_services.Store.Begin(operation)]).ConfigureAwait(false);

        var state = NewState(resource, read.Id, read.Inputs, read.Outputs);
        await WriteAsync([new StoredMutation.RemovePending(operation.Id), _services.Store.Upsert(state)]).ConfigureAwait(false);
        return new ResolvedResource(PropertyValue.Create(read.Id), read.Outputs);
    }

    private async Task<ReadResponse> ReadForImportAsync(Resource resource, IResourceProvider provider, IReadOnlyList<StoredMutation>? begin = null)
    {
        var importId = ((CustomResourceOptions)resource.Options).ImportId!;
        await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
        try
        {
            if (begin is not null)
            {
                await WriteAsync(begin).ConfigureAwait(false);
            }

            var read = await provider.ReadAsync(new ReadRequest(resource.Urn, resource.Type, importId, null, null), _cancellationToken).ConfigureAwait(false);
            if (read.Status == ReadStatus.Found)
            {
                return read;
            }

            if (begin is not null)
            {
                await WriteAsync([new StoredMutation.RemovePending(((StoredMutation.AddPending)begin[0]).Id)]).ConfigureAwait(false);
            }

            throw new ResourceException(resource.Urn, $"cannot import: no {resource.Type} with ID '{importId}' exists.");
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Deletes an old copy left pending deletion by an earlier, interrupted replacement.</summary>
    private async Task DeleteEarlierCopyAsync(string urn, IResourceProvider provider)
    {
        var copy = _prior.Resources.FirstOrDefault(r => r.PendingDelete && r.Urn == urn);
        if (copy is not null && _handledCopies.TryAdd(urn, true))
        {
            await DeleteOneAsync(copy, provider, rename: null).ConfigureAwait(false);
        }
    }

    private async Task DeleteOneAsync(ResourceState state, IResourceProvider? provider, Resource? rename)
    {
        var removed = rename is null ? state : state with { Urn = rename.Urn };
        if (!state.Custom || state.RetainOnDelete || provider is null)
        {
            // Nothing happens outside state, so there is nothing to journal before it.
            await WriteAsync(rename is null ? [StackStateStore.Remove(removed)] : RenameFirst(rename, StackStateStore.Remove(removed))).ConfigureAwait(false);
            return;
        }

        var operation = Begin(OperationKind.Delete, state);
        var begin = _services.Store.Begin(operation);
        await CallAsync(state.Urn, "delete", null, operation, rename is null ? [begin] : RenameFirst(rename, begin), async ct =>
        {
            await provider.DeleteAsync(new DeleteRequest(state.Urn, state.Type, state.Id ?? string.Empty, state.Inputs, state.Outputs, null), ct)
                .ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        await WriteAsync([new StoredMutation.RemovePending(operation.Id), StackStateStore.Remove(removed)]).ConfigureAwait(false);
    }

    private static PendingOperation Begin(OperationKind kind, ResourceState resource) => new()
    {
        Id = $"{DateTimeOffset.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}",
        Kind = kind,
        Resource = resource,
        Started = DateTimeOffset.UtcNow,
    };

    /// <summary>
    /// Calls a provider inside a parallelism slot, with the resource's timeout, after journaling <paramref name="begin"/>
    /// (so only operations about to run are ever pending). A provider error means the operation did not happen, so its
    /// journal entry is removed; a timeout, a cancellation or a call without an answer
    /// (<see cref="ProviderOutcomeUnknownException"/>) leaves it for the next run to read back.
    /// </summary>
    private async Task<T> CallAsync<T>(
        string urn, string what, TimeSpan? timeout, PendingOperation operation, IReadOnlyList<StoredMutation> begin, Func<CancellationToken, Task<T>> call)
    {
        await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
        try
        {
            var key = operation.Kind == OperationKind.Delete ? urn + "#delete" : urn;
            if (_clocks.TryGetValue(key, out var clock) || _clocks.TryGetValue(urn, out clock))
            {
                clock.Start(Events);
            }

            await WriteAsync(begin).ConfigureAwait(false);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
            if (timeout is { } t)
            {
                limit.CancelAfter(t);
            }

            try
            {
                return await call(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !_cancellationToken.IsCancellationRequested)
            {
                throw new ResourceException(urn,
                    $"{what} timed out after {timeout}; it may still complete, and the next run reads the resource back to find out.");
            }
            catch (ProviderOutcomeUnknownException ex)
            {
                // No answer is not a "no": the pending entry stays for the next run to read back, as after a timeout.
                throw new ResourceException(urn, $"{what} failed: {ex.Message}; it may still have happened, and the next run reads the resource back to find out.", ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await WriteAsync([new StoredMutation.RemovePending(operation.Id)]).ConfigureAwait(false);
                throw new ResourceException(urn, $"{what} failed: {Describe(ex)}", ex);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>When a step's provider work started, so reported durations exclude time spent waiting for a slot.</summary>
    private sealed class StepClock(PlannedStep step)
    {
        private long _started;

        public TimeSpan Elapsed => _started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(Interlocked.Read(ref _started));

        /// <summary>Starts the clock and announces the step, once.</summary>
        public void Start(Action<EngineEvent> events)
        {
            if (Interlocked.CompareExchange(ref _started, Stopwatch.GetTimestamp(), 0) == 0)
            {
                events(new StepStartedEvent(step));
            }
        }
    }
}
