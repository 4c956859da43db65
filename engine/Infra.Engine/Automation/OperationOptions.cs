using System.Collections.Immutable;
using Infra.Deployment;
using Infra.Policy;

namespace Infra.Automation;

/// <summary>
/// Options every stack operation takes, from the Automation API or a host, carried unchanged to the deployment. Checked
/// once when the operation starts (<see cref="Validate"/>); a bad option is an <see cref="OperationOptionException"/>
/// naming it.
/// </summary>
public record OperationOptions
{
    /// <summary>The default bound on concurrent provider operations: four per core.</summary>
    public static int DefaultParallel => 4 * Environment.ProcessorCount;

    /// <summary>Receives engine events as they happen; called concurrently, so it must be thread-safe.</summary>
    public Action<EngineEvent>? OnEvent { get; init; }

    /// <summary>The maximum number of concurrent provider operations; at least 1, by default <see cref="DefaultParallel"/>.</summary>
    public int Parallel { get; init; } = DefaultParallel;

    /// <summary>The program to run; defaults to the workspace's program resolver.</summary>
    public StackProgram? Program { get; init; }

    /// <summary>Read every resource back before planning.</summary>
    public bool Refresh { get; init; }

    /// <summary>Only these URNs are changed; the rest keep their state.</summary>
    public ImmutableArray<string> Targets { get; init; } = [];

    /// <summary>With <see cref="Targets"/>: also change the resources that depend on a target.</summary>
    public bool TargetDependents { get; init; }

    /// <summary>These URNs are replaced even if unchanged.</summary>
    public ImmutableArray<string> Replaces { get; init; } = [];

    /// <summary>Forget interrupted operations the providers cannot read back.</summary>
    public bool ClearPending { get; init; }

    /// <summary>Adopt interrupted creates with these provider IDs, keyed by URN.</summary>
    public ImmutableDictionary<string, string> ImportPending { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Policy packs to enforce; overrides the workspace's policy resolver.</summary>
    public IDeploymentPolicy? Policy { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="OperationOptionException">An option is out of range; the error names it.</exception>
    public void Validate()
    {
        if (Parallel < 1)
        {
            throw new OperationOptionException(nameof(Parallel), $"must be at least 1, got {Parallel}.");
        }

        foreach (var (option, urns) in new[] { (nameof(Targets), Targets), (nameof(Replaces), Replaces) })
        {
            foreach (var urn in urns.IsDefault ? [] : urns)
            {
                if (!Urn.IsValid(urn))
                {
                    throw new OperationOptionException(option, $"names '{urn}', which is not a resource URN (expected urn:infra:<stack>::<project>::<type>::<name>).");
                }
            }
        }

        foreach (var urn in ImportPending.Keys)
        {
            if (!Urn.IsValid(urn))
            {
                throw new OperationOptionException(nameof(ImportPending), $"names '{urn}', which is not a resource URN (expected urn:infra:<stack>::<project>::<type>::<name>).");
            }
        }
    }
}

/// <summary>Options for <see cref="Workspace.CreateStackAsync(string, StackInitOptions, CancellationToken)"/>.</summary>
public sealed record StackInitOptions
{
    /// <summary>A stack whose settings (config, secure values, policies, secrets provider) the new stack starts from.</summary>
    public string? CopyConfigFrom { get; init; }
}

/// <summary>Options for <see cref="WorkspaceStack.PreviewAsync"/>.</summary>
public sealed record PreviewOptions : OperationOptions;

/// <summary>Options for <see cref="WorkspaceStack.UpAsync"/>.</summary>
public sealed record UpOptions : OperationOptions
{
    /// <summary>Apply exactly this saved plan; refused if the state moved since it was made.</summary>
    public SavedPlan? Plan { get; init; }

    /// <summary>
    /// Asked after the preview (or, with <see cref="Plan"/>, after the saved plan is found current) and before any
    /// change; returning false stops with nothing changed.
    /// </summary>
    public Func<PreviewResult, CancellationToken, Task<bool>>? Confirm { get; init; }
}

/// <summary>Options for <see cref="WorkspaceStack.RefreshAsync"/>.</summary>
public sealed record RefreshOptions : OperationOptions;

/// <summary>Options for <see cref="WorkspaceStack.DestroyAsync"/>.</summary>
public sealed record DestroyOptions : OperationOptions
{

    /// <summary>Asked after the preview and before any deletion.</summary>
    public Func<PreviewResult, CancellationToken, Task<bool>>? Confirm { get; init; }
}
