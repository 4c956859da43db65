using System.Collections.Immutable;

namespace Infra;

/// <summary>
/// Options that control how the engine manages a resource, independent of its type. Options are immutable:
/// derive variants with <c>with</c>, e.g. <c>options with { Protect = true }</c>.
/// </summary>
public record ResourceOptions
{
    /// <summary>The parent, usually the component that declares this resource. It shapes the URN and the tree.</summary>
    public Resource? Parent { get; init; }

    /// <summary>Resources this one must wait for even though none of its inputs read them.</summary>
    public ImmutableArray<Resource> DependsOn { get; init; } = [];

    /// <summary>When true, the engine refuses to delete or replace the resource.</summary>
    public bool Protect { get; init; }

    /// <summary>Input property paths whose changes are ignored after creation, e.g. <c>"tags"</c> or <c>"spec.replicas"</c>.</summary>
    public ImmutableArray<string> IgnoreChanges { get; init; } = [];

    /// <summary>Input property paths whose changes force a replacement even where the provider could update in place.</summary>
    public ImmutableArray<string> ReplaceOnChanges { get; init; } = [];

    /// <summary>Delete the old resource before creating its replacement, for resources whose names must be unique.</summary>
    public bool DeleteBeforeReplace { get; init; }

    /// <summary>When the resource is deleted from the program, forget it in state but leave it in place.</summary>
    public bool RetainOnDelete { get; init; }

    /// <summary>Former identities of this resource, so a rename or re-parent is an update, not a replacement.</summary>
    public ImmutableArray<Alias> Aliases { get; init; } = [];

    /// <summary>How long create, update and delete may take before the engine gives up.</summary>
    public CustomTimeouts? CustomTimeouts { get; init; }
}

/// <summary>Options for custom (provider-managed) resources.</summary>
public sealed record CustomResourceOptions : ResourceOptions
{
    /// <summary>Adopt an existing resource with this provider ID instead of creating one.</summary>
    public string? ImportId { get; init; }
}

/// <summary>Options for component resources.</summary>
public sealed record ComponentResourceOptions : ResourceOptions;

/// <summary>Time limits for a resource's provider operations.</summary>
public sealed record CustomTimeouts
{
    /// <summary>Limit for create.</summary>
    public TimeSpan? Create { get; init; }

    /// <summary>Limit for update.</summary>
    public TimeSpan? Update { get; init; }

    /// <summary>Limit for delete.</summary>
    public TimeSpan? Delete { get; init; }
}

/// <summary>
/// A former identity of a resource. Set only what changed: <c>new Alias { Name = "old-name" }</c> after a rename,
/// <c>new Alias { NoParent = true }</c> after moving a top-level resource under a component, or a full
/// <see cref="Urn"/>.
/// </summary>
public sealed record Alias
{
    /// <summary>The complete former URN; when set, the other fields are ignored.</summary>
    public string? Urn { get; init; }

    /// <summary>The former name.</summary>
    public string? Name { get; init; }

    /// <summary>The former type token.</summary>
    public string? Type { get; init; }

    /// <summary>The former parent.</summary>
    public Resource? Parent { get; init; }

    /// <summary>The former parent's URN, when the parent no longer exists in the program.</summary>
    public string? ParentUrn { get; init; }

    /// <summary>True when the resource used to have no parent.</summary>
    public bool NoParent { get; init; }
}
