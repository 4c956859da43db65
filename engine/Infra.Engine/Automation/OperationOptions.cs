using System.Collections.Immutable;
using Infra.Deployment;
using Infra.Policy;

namespace Infra.Automation;

/// <summary>Options every stack operation takes.</summary>
public record OperationOptions
{
    /// <summary>Receives engine events as they happen; called concurrently, so it must be thread-safe.</summary>
    public Action<EngineEvent>? OnEvent { get; init; }

    /// <summary>The maximum number of concurrent provider operations; defaults to four per core.</summary>
    public int? Parallel { get; init; }

    /// <summary>The program to run; defaults to the workspace's program resolver.</summary>
    public StackProgram? Program { get; init; }

    /// <summary>Read every resource back before planning.</summary>
    public bool Refresh { get; init; }

    /// <summary>Only change these URNs.</summary>
    public ImmutableArray<string> Targets { get; init; } = [];

    /// <summary>With <see cref="Targets"/>: also change what depends on them.</summary>
    public bool TargetDependents { get; init; }

    /// <summary>Replace these URNs even if unchanged.</summary>
    public ImmutableArray<string> Replaces { get; init; } = [];

    /// <summary>Forget interrupted operations no provider can read back.</summary>
    public bool ClearPending { get; init; }

    /// <summary>Adopt interrupted creates with these IDs, by URN.</summary>
    public ImmutableDictionary<string, string> ImportPending { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Policy packs to enforce; overrides the workspace's policy resolver.</summary>
    public IDeploymentPolicy? Policy { get; init; }
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
