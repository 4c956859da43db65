using System.Collections.Immutable;
using Infra.Deployment;
using Infra.State;
using Infra.Values;

namespace Infra.Automation;

/// <summary>
/// A resource a command beside the program makes for a stack (a copy restored under a new name), to be recorded in
/// the stack's state as an artifact (see <see cref="ResourceState.Artifact"/>).
/// </summary>
/// <param name="Type">Its type token, served by the provider that deletes it on destroy, e.g. <c>postgres:index:Database</c>.</param>
/// <param name="Name">Its resource name, unique in the stack; its URN is made from it like any other.</param>
/// <param name="Id">Its provider ID, known before it is made, so an interrupted creation can be read back.</param>
/// <param name="CreatedBy">What makes it, e.g. <c>tenant restore</c>: the artifact's mark in state.</param>
/// <param name="Inputs">Its inputs, as the provider would take them for a declared resource of <paramref name="Type"/>.</param>
public sealed record ArtifactSpec(string Type, string Name, string Id, string CreatedBy, PropertyMap Inputs)
{
    /// <summary>
    /// URNs of resources in state the artifact belongs with (a copy with the database it was restored from): a destroy
    /// keeps the artifact when it keeps one of them for protection, as it keeps whatever is attached to a protected resource.
    /// </summary>
    public ImmutableArray<string> DependsOn { get; init; } = [];
}

public sealed partial class WorkspaceStack
{
    /// <summary>
    /// Makes an artifact with <paramref name="create"/> and records it in the stack's state, under the stack's lock
    /// and with the journal's guarantees: the creation is journaled as pending before <paramref name="create"/> runs,
    /// and the artifact recorded (with the outputs <paramref name="create"/> returns) in the same write that clears
    /// it. A run killed in between leaves the pending entry, which the next operation settles by reading the artifact
    /// back, as for any interrupted create. <paramref name="create"/> must leave nothing behind when it throws.
    /// </summary>
    /// <returns>The artifact as recorded.</returns>
    /// <exception cref="InfraException">The stack already records a resource with that URN, or <paramref name="create"/> failed.</exception>
    public async Task<ResourceState> CreateArtifactAsync(
        ArtifactSpec spec, Func<CancellationToken, Task<PropertyMap>> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(create);
        await using var operation = await OpenAsync("artifact", new OperationOptions(), takeLock: true, cancellationToken).ConfigureAwait(false);
        cancellationToken = operation.Cancellation;
        var snapshot = await PrepareAsync(operation, refresh: false, cancellationToken).ConfigureAwait(false);
        var urn = Urn.Create(Name, Workspace.Project.Name, null, spec.Type, spec.Name);
        if (snapshot.Resources.Any(r => r.Urn == urn))
        {
            throw new InfraException($"'{urn}' is already in the state of stack '{Name}'; nothing was created.");
        }

        foreach (var dependency in spec.DependsOn.Where(d => !snapshot.Resources.Any(r => r.Urn == d)))
        {
            throw new InfraException($"the artifact '{urn}' depends on '{dependency}', which is not in the state of stack '{Name}'; nothing was created.");
        }

        var now = DateTimeOffset.UtcNow;
        var state = new ResourceState
        {
            Urn = urn, Type = spec.Type, Custom = true, Id = spec.Id, Inputs = spec.Inputs, Dependencies = spec.DependsOn.IsDefault ? [] : spec.DependsOn,
            Artifact = spec.CreatedBy, Created = now, Modified = now,
        };
        var pending = new PendingOperation { Id = Guid.NewGuid().ToString("N"), Kind = OperationKind.Create, Resource = state, UpdateId = operation.UpdateId, Started = now };
        var journal = operation.Journal!;
        await journal.WriteAsync([operation.Store.Begin(pending)]).ConfigureAwait(false);
        PropertyMap outputs;
        try
        {
            await operation.EnsureHeldAsync(cancellationToken).ConfigureAwait(false);
            outputs = await create(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The creation failed and cleaned up after itself: nothing to record, nothing left pending. A cancelled
            // one may or may not have happened, so its entry stays for the next operation to read back.
            await journal.WriteAsync([new StoredMutation.RemovePending(pending.Id)]).ConfigureAwait(false);
            throw;
        }

        state = state with { Outputs = outputs };
        await journal.WriteAsync([operation.Store.Upsert(state), new StoredMutation.RemovePending(pending.Id)]).ConfigureAwait(false);
        var step = new PlannedStep { Urn = urn, Type = spec.Type, Op = StepOp.Create, NewInputs = spec.Inputs, NewOutputs = outputs };
        await operation.FinishAsync("succeeded", ChangeSummary.Of([step])).ConfigureAwait(false);
        return state;
    }
}
