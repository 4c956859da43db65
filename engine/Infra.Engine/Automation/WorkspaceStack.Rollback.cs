using Infra.Configuration;
using Infra.Deployment;
using Infra.State;

namespace Infra.Automation;

public sealed partial class WorkspaceStack
{
    /// <summary>
    /// Applies an earlier update's config again with the current program: previews with update
    /// <see cref="RollbackOptions.ToUpdate"/>'s recorded settings, asks <see cref="RollbackOptions.Confirm"/>, then writes
    /// those settings to the stack settings file and applies the previewed plan. History only grows: the rollback is a
    /// new update (kind <c>rollback</c>), and observers (a GitOps repository) record it as a new change.
    /// </summary>
    /// <remarks>
    /// A rollback changes resources, never data: a database whose settings (a connection limit) go back keeps its
    /// rows. Bringing data back is a restore of a backup.
    /// </remarks>
    /// <exception cref="RollbackTargetException">The update does not exist, did not succeed or recorded no config.</exception>
    /// <exception cref="Locks.StackLockedException">Another run holds the stack.</exception>
    /// <exception cref="UpdateFailedException">Some steps failed; the settings file already holds the rolled-back config, so an up finishes it.</exception>
    public async Task<UpdateResult> RollbackAsync(RollbackOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var target = await RollbackTargetAsync(options.ToUpdate, cancellationToken).ConfigureAwait(false);
        var settings = StackSettingsFile.Parse(target.Config!, SettingsPath);
        await using var operation = await OpenAsync("rollback", options, takeLock: true, cancellationToken, settings).ConfigureAwait(false);
        cancellationToken = operation.Cancellation;
        operation.Events(new PreludeEvent(Name, Workspace.Project.Name, "rollback", false, operation.Options.Parallel));
        var snapshot = await PrepareAsync(operation, options.Refresh, cancellationToken).ConfigureAwait(false);
        var preview = await PlanAsync(operation, snapshot, options.Program, cancellationToken).ConfigureAwait(false);
        if (options.Confirm is { } confirm && !await confirm(preview, cancellationToken).ConfigureAwait(false))
        {
            await operation.FinishAsync("cancelled", ChangeSummary.Of([])).ConfigureAwait(false);
            return new UpdateResult { Kind = "rollback", UpdateId = operation.UpdateId, Preview = preview, Declined = true };
        }

        // Written before any change: if the apply stops half-way, the file already says where the stack is going, so
        // the next up finishes the rollback instead of undoing it.
        settings.Save();
        var program = await RunProgramAsync(operation.Config, options.Program, cancellationToken).ConfigureAwait(false);
        var result = await ApplyAsync(operation, DeploymentKind.Update, snapshot, program, preview.Plan, cancellationToken).ConfigureAwait(false);
        return result with { Preview = preview };
    }

    /// <summary>The update a rollback goes back to, checked: it exists, succeeded and recorded its config.</summary>
    /// <exception cref="RollbackTargetException">It does not.</exception>
    public async Task<UpdateRecord> RollbackTargetAsync(long updateId, CancellationToken cancellationToken = default)
    {
        var history = await GetHistoryAsync(cancellationToken).ConfigureAwait(false);
        var target = history.FirstOrDefault(u => u.Id == updateId);
        var applied = history.Where(static u => u.Kind is "update" or "rollback").Select(static u => u.Id).Take(5).ToList();
        var known = applied.Count == 0 ? "it has none yet" : $"recent ones: {string.Join(", ", applied)}";
        return target switch
        {
            null => throw new RollbackTargetException(Name, updateId, $"is not an update of this stack ({known}; see 'infra stack history')."),
            { Kind: not ("update" or "rollback") } => throw new RollbackTargetException(Name, updateId, $"is a {target.Kind}, which applies no config; roll back to an update ({known})."),
            { Result: not "succeeded" } => throw new RollbackTargetException(Name, updateId, $"{target.Result}; roll back to an update that succeeded ({known})."),
            { Config: null } => throw new RollbackTargetException(Name, updateId, "was recorded before updates kept their config, so it cannot be applied again."),
            _ => target,
        };
    }
}

/// <summary>Options for <see cref="WorkspaceStack.RollbackAsync"/>.</summary>
public sealed record RollbackOptions : OperationOptions
{
    /// <summary>The update to go back to: its ID in the stack's history.</summary>
    public required long ToUpdate { get; init; }

    /// <summary>Asked after the preview and before any change; returning false stops with nothing changed.</summary>
    public Func<PreviewResult, CancellationToken, Task<bool>>? Confirm { get; init; }
}

/// <summary>Thrown when a rollback names an update it cannot go back to.</summary>
public sealed class RollbackTargetException : InfraException
{
    /// <summary>Creates the exception.</summary>
    public RollbackTargetException(string stack, long updateId, string problem)
        : base($"stack '{stack}': update {updateId} {problem}")
    {
        Stack = stack;
        UpdateId = updateId;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    /// <summary>The update named.</summary>
    public long UpdateId { get; }
}
