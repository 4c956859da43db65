using Infra.Automation;
using Infra.Providers;
using Infra.State;

namespace Infra.Deployment;

/// <summary>
/// Settles operations a crash interrupted, before anything else runs. Each is read back through its provider:
/// a create that happened is recorded, one that did not is forgotten, an update records the live state, a delete
/// that happened removes the resource. What no provider can read back needs <see cref="OperationOptions.ClearPending"/>
/// or <see cref="OperationOptions.ImportPending"/>; nothing else ever blocks a stack.
/// </summary>
internal static class PendingRecovery
{
    public static async Task<bool> ResolveAsync(
        StackSnapshot snapshot,
        ProviderSet providers,
        StackStateStore store,
        Journal journal,
        OperationOptions options,
        Action<EngineEvent> events,
        CancellationToken cancellationToken)
    {
        if (snapshot.Pending.IsEmpty)
        {
            return false;
        }

        var unresolved = new List<PendingOperation>();
        foreach (var operation in snapshot.Pending)
        {
            var resource = operation.Resource;
            var what = $"interrupted {StateJson.KindName(operation.Kind)} (update {operation.UpdateId})";
            List<StoredMutation> mutations = [new StoredMutation.RemovePending(operation.Id)];
            ReadResponse read;
            if (options.ImportPending.TryGetValue(resource.Urn, out var importId))
            {
                read = await providers.For(resource.Urn, resource.Type)
                    .ReadAsync(new ReadRequest(resource.Urn, resource.Type, importId, resource.Inputs, null), cancellationToken).ConfigureAwait(false);
                if (read.Status != ReadStatus.Found)
                {
                    throw new OperationOptionException(nameof(OperationOptions.ImportPending),
                        $"names ID '{importId}' for '{resource.Urn}', but no {resource.Type} with that ID exists.");
                }
            }
            else if (!resource.Custom)
            {
                read = ReadResponse.NotFound;
            }
            else
            {
                var knownOutputs = operation.Kind is OperationKind.Create or OperationKind.CreateReplacement ? null : resource.Outputs;
                read = await providers.For(resource.Urn, resource.Type)
                    .ReadAsync(new ReadRequest(resource.Urn, resource.Type, resource.Id, resource.Inputs, knownOutputs), cancellationToken).ConfigureAwait(false);
            }

            if (read.Status == ReadStatus.Indeterminate)
            {
                if (options.ClearPending)
                {
                    await journal.WriteAsync(mutations).ConfigureAwait(false);
                    events(new DiagnosticEvent(DiagnosticSeverity.Warning, $"{what}: forgotten, since pending operations are being cleared.", resource.Urn));
                }
                else
                {
                    unresolved.Add(operation);
                }

                continue;
            }

            var found = read.Status == ReadStatus.Found;
            var live = found ? resource with { Id = read.Id, Inputs = read.Inputs, Outputs = read.Outputs, Modified = DateTimeOffset.UtcNow } : null;
            string outcome;
            switch (operation.Kind)
            {
                case OperationKind.Create or OperationKind.Import:
                    if (live is not null)
                    {
                        mutations.Add(store.Upsert(live with { PendingDelete = false }));
                    }

                    outcome = found ? "the resource exists and is now recorded in state" : "the resource was never created; nothing to record";
                    break;
                case OperationKind.CreateReplacement:
                    if (live is not null)
                    {
                        var previous = snapshot.Resources.FirstOrDefault(r => r.Urn == resource.Urn && !r.PendingDelete);
                        if (previous is not null)
                        {
                            mutations.Add(store.Upsert(previous with { PendingDelete = true }));
                        }

                        mutations.Add(store.Upsert(live with { PendingDelete = false }));
                    }

                    outcome = found ? "the replacement exists; the old resource will be deleted" : "the replacement was never created";
                    break;
                case OperationKind.Update:
                    mutations.Add(live is not null ? store.Upsert(live) : StackStateStore.Remove(resource));
                    outcome = found ? "recorded its live state" : "the resource no longer exists and was removed from state";
                    break;
                default:
                    if (!found)
                    {
                        mutations.Add(StackStateStore.Remove(resource));
                    }

                    outcome = found ? "the resource still exists and stays in state" : "the delete had completed; removed from state";
                    break;
            }

            await journal.WriteAsync(mutations).ConfigureAwait(false);
            events(new DiagnosticEvent(DiagnosticSeverity.Warning, $"{what}: {outcome}.", resource.Urn));
        }

        if (unresolved.Count > 0)
        {
            throw new PendingOperationsException(snapshot.Stack, [.. unresolved.Select(static o => (StateJson.KindName(o.Kind), o.Resource.Urn))]);
        }

        return true;
    }
}
