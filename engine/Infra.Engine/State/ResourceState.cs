using System.Collections.Immutable;
using Infra.Values;

namespace Infra.State;

/// <summary>What state records about one resource.</summary>
public sealed record ResourceState
{
    /// <summary>The resource's URN.</summary>
    public required string Urn { get; init; }

    /// <summary>The type token.</summary>
    public required string Type { get; init; }

    /// <summary>True for provider-managed resources, false for components.</summary>
    public bool Custom { get; init; }

    /// <summary>The provider ID; <see langword="null"/> for components.</summary>
    public string? Id { get; init; }

    /// <summary>The parent's URN, if any.</summary>
    public string? Parent { get; init; }

    /// <summary>The inputs last applied.</summary>
    public PropertyMap Inputs { get; init; } = PropertyMap.Empty;

    /// <summary>The outputs last read or returned.</summary>
    public PropertyMap Outputs { get; init; } = PropertyMap.Empty;

    /// <summary>URNs this resource depends on; deletes run in the reverse order.</summary>
    public ImmutableArray<string> Dependencies { get; init; } = [];

    /// <summary>Deletion and replacement are refused.</summary>
    public bool Protect { get; init; }

    /// <summary>Deleting forgets the resource without deleting it.</summary>
    public bool RetainOnDelete { get; init; }

    /// <summary>An old copy waiting for deletion after its replacement was created.</summary>
    public bool PendingDelete { get; init; }

    /// <summary>
    /// What created this resource outside the stack's program (e.g. <c>tenant restore</c>), for an artifact;
    /// <see langword="null"/> for the program's own resources. The program never declares an artifact, so <c>up</c>
    /// and <c>preview</c> leave it alone (never delete it), <c>refresh</c> reads it like any other, and
    /// <c>destroy</c> deletes every artifact before anything the program declared.
    /// </summary>
    public string? Artifact { get; init; }

    /// <summary>True for an artifact (see <see cref="Artifact"/>).</summary>
    public bool IsArtifact => Artifact is not null;

    /// <summary>When the resource was created (or imported).</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>When the resource last changed.</summary>
    public DateTimeOffset? Modified { get; init; }

    /// <summary>The resource name (the URN's last part).</summary>
    public string Name => Infra.Urn.NameOf(Urn);

    /// <summary>True when the two records describe the same resource identically, ignoring timestamps.</summary>
    public bool SameAs(ResourceState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Urn == other.Urn && Type == other.Type && Custom == other.Custom && Id == other.Id && Parent == other.Parent &&
               Protect == other.Protect && RetainOnDelete == other.RetainOnDelete && PendingDelete == other.PendingDelete && Artifact == other.Artifact &&
               Dependencies.SequenceEqual(other.Dependencies) && Inputs.Equals(other.Inputs) && Outputs.Equals(other.Outputs);
    }
}
