using System.Collections.Immutable;
using Infra.Values;

namespace Infra.State;

/// <summary>The kind of operation a journal entry records.</summary>
public enum OperationKind
{
    /// <summary>A create.</summary>
    Create,

    /// <summary>An in-place update.</summary>
    Update,

    /// <summary>A delete.</summary>
    Delete,

    /// <summary>The create of a replacement.</summary>
    CreateReplacement,

    /// <summary>An import (adopt by ID).</summary>
    Import,
}

/// <summary>
/// An operation written to the journal before its provider call and removed after it. One still present when a
/// run starts was interrupted by a crash, and the engine resolves it before doing anything else.
/// </summary>
public sealed record PendingOperation
{
    /// <summary>A unique ID for the entry.</summary>
    public required string Id { get; init; }

    /// <summary>What was being done.</summary>
    public required OperationKind Kind { get; init; }

    /// <summary>The resource as planned: for creates without an ID, for updates and deletes as recorded.</summary>
    public required ResourceState Resource { get; init; }

    /// <summary>The update the operation belonged to.</summary>
    public long UpdateId { get; init; }

    /// <summary>When the operation started.</summary>
    public DateTimeOffset Started { get; init; }
}

/// <summary>A stack's state: resources, outputs and any interrupted operations, at one serial.</summary>
public sealed record StackSnapshot
{
    /// <summary>The stack name.</summary>
    public required string Stack { get; init; }

    /// <summary>Increases with every write; a saved plan records it and refuses to apply once it moved.</summary>
    public long Serial { get; init; }

    /// <summary>Live resources and old copies pending deletion.</summary>
    public ImmutableArray<ResourceState> Resources { get; init; } = [];

    /// <summary>The stack outputs.</summary>
    public PropertyMap Outputs { get; init; } = PropertyMap.Empty;

    /// <summary>Operations that began but never finished.</summary>
    public ImmutableArray<PendingOperation> Pending { get; init; } = [];

    /// <summary>An empty snapshot of <paramref name="stack"/>.</summary>
    public static StackSnapshot Empty(string stack) => new() { Stack = stack };
}
