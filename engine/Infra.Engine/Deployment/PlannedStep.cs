using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Deployment;

/// <summary>
/// One resource's step in a plan: what will happen and why. Steps are data: they can be printed, saved,
/// compared with what an update actually does, and tested without running anything.
/// </summary>
public sealed record PlannedStep
{
    /// <summary>The resource's URN.</summary>
    public required string Urn { get; init; }

    /// <summary>The type token.</summary>
    public required string Type { get; init; }

    /// <summary>The operation.</summary>
    public required StepOp Op { get; init; }

    /// <summary>True for provider-managed resources.</summary>
    public bool Custom { get; init; } = true;

    /// <summary>The parent's URN.</summary>
    public string? Parent { get; init; }

    /// <summary>
    /// The URNs of the resources this one depends on (the inputs it reads and its <c>DependsOn</c>; for a delete, those
    /// recorded in state), sorted. Saved plans carry them, so what checks a plan offline sees the engine's graph.
    /// </summary>
    public ImmutableArray<string> Dependencies { get; init; } = [];

    /// <summary>
    /// Whether the resource is declared protected. Saved plans carry it so policies run against a plan see the same
    /// resource options as in a preview.
    /// </summary>
    public bool Protect { get; init; }

    /// <summary>Inputs before the step (state), if the resource existed.</summary>
    public PropertyMap? OldInputs { get; init; }

    /// <summary>Inputs after the step, if the resource will exist; may hold unknowns in a preview.</summary>
    public PropertyMap? NewInputs { get; init; }

    /// <summary>Outputs before the step, if any.</summary>
    public PropertyMap? OldOutputs { get; init; }

    /// <summary>Outputs after the step as far as known.</summary>
    public PropertyMap? NewOutputs { get; init; }

    /// <summary>Changed input paths.</summary>
    public ImmutableArray<string> Changed { get; init; } = [];

    /// <summary>Changed paths that force replacement.</summary>
    public ImmutableArray<string> Replaces { get; init; } = [];

    /// <summary>For replacements: delete the old resource first.</summary>
    public bool DeleteBeforeReplace { get; init; }

    /// <summary>Why the step is what it is, when not obvious (e.g. <c>replacement requested</c>, <c>not targeted</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>The former URN when an alias matched.</summary>
    public string? RenamedFrom { get; init; }

    /// <summary>Paths in <see cref="NewInputs"/> that are unknown until apply.</summary>
    public ImmutableArray<string> UnknownPaths { get; init; } = [];
}
