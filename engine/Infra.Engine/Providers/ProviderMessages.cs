using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Providers;

/// <summary>Input to <see cref="IResourceProvider.CheckAsync"/>.</summary>
/// <param name="Urn">The resource's URN.</param>
/// <param name="Type">The resource's type token.</param>
/// <param name="OldInputs">The inputs recorded in state, or <see langword="null"/> for a new resource.</param>
/// <param name="NewInputs">The inputs the program declares now; may hold unknowns in a preview.</param>
public sealed record CheckRequest(string Urn, string Type, PropertyMap? OldInputs, PropertyMap NewInputs);

/// <summary>Output of <see cref="IResourceProvider.CheckAsync"/>.</summary>
/// <param name="Inputs">The inputs with defaults applied.</param>
/// <param name="Failures">Validation failures; any failure stops the resource with its messages.</param>
public sealed record CheckResponse(PropertyMap Inputs, ImmutableArray<CheckFailure> Failures)
{
    /// <summary>
    /// Things the user should look at that do not stop the resource (e.g. a server setting the resource relies on is
    /// missing). The engine reports each as a warning about the resource, in preview and update alike.
    /// </summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>A successful check that returns <paramref name="inputs"/>.</summary>
    public static CheckResponse Ok(PropertyMap inputs) => new(inputs, []);
}

/// <summary>One invalid input.</summary>
/// <param name="Property">The property path at fault.</param>
/// <param name="Reason">What is wrong and what is expected.</param>
public sealed record CheckFailure(string Property, string Reason);

/// <summary>Input to <see cref="IResourceProvider.DiffAsync"/>.</summary>
/// <param name="Urn">The resource's URN.</param>
/// <param name="Type">The resource's type token.</param>
/// <param name="Id">The provider ID.</param>
/// <param name="OldInputs">Inputs recorded in state.</param>
/// <param name="OldOutputs">Outputs recorded in state.</param>
/// <param name="NewInputs">Checked new inputs; may hold unknowns in a preview.</param>
public sealed record DiffRequest(string Urn, string Type, string Id, PropertyMap OldInputs, PropertyMap OldOutputs, PropertyMap NewInputs);

/// <summary>Output of <see cref="IResourceProvider.DiffAsync"/>.</summary>
/// <param name="Changed">Changed property paths; empty means no change.</param>
/// <param name="Replaces">The subset of changed paths that the provider cannot update in place.</param>
/// <param name="DeleteBeforeReplace">True when the old resource must go before the new one is created (unique names).</param>
public sealed record DiffResponse(ImmutableArray<string> Changed, ImmutableArray<string> Replaces, bool DeleteBeforeReplace = false)
{
    /// <summary>No changes.</summary>
    public static DiffResponse None { get; } = new([], []);

    /// <summary>True when anything changed.</summary>
    public bool HasChanges => !Changed.IsDefaultOrEmpty;

    /// <summary>True when a change forces replacement.</summary>
    public bool RequiresReplacement => !Replaces.IsDefaultOrEmpty;

    /// <summary>
    /// The common diff: every changed top-level input, with the properties in <paramref name="replaceOnChange"/>
    /// (or all of them, when null) forcing replacement.
    /// </summary>
    public static DiffResponse FromInputs(PropertyMap oldInputs, PropertyMap newInputs, IReadOnlySet<string>? replaceOnChange)
    {
        ArgumentNullException.ThrowIfNull(oldInputs);
        ArgumentNullException.ThrowIfNull(newInputs);
        var changed = PropertyDiff.Compare(oldInputs, newInputs).Select(static c => c.Path).ToList();
        if (changed.Count == 0)
        {
            return None;
        }

        var replaces = changed.Where(p => replaceOnChange is null || replaceOnChange.Contains(p.TopLevelKey));
        return new DiffResponse(
            [.. changed.Select(static p => p.ToString())],
            [.. replaces.Select(static p => p.ToString())]);
    }
}

/// <summary>Input to <see cref="IResourceProvider.CreateAsync"/>.</summary>
/// <param name="Urn">The resource's URN.</param>
/// <param name="Type">The resource's type token.</param>
/// <param name="Inputs">Checked inputs; fully known unless <paramref name="Preview"/>.</param>
/// <param name="Timeout">The resource's create timeout, if any.</param>
/// <param name="Preview">True in a preview: predict outputs, change nothing.</param>
public sealed record CreateRequest(string Urn, string Type, PropertyMap Inputs, TimeSpan? Timeout, bool Preview);

/// <summary>Output of <see cref="IResourceProvider.CreateAsync"/>.</summary>
/// <param name="Id">The new provider ID (empty in a preview if not predictable).</param>
/// <param name="Outputs">All output properties (conventionally a superset of the inputs).</param>
public sealed record CreateResponse(string Id, PropertyMap Outputs);

/// <summary>Input to <see cref="IResourceProvider.ReadAsync"/>.</summary>
/// <param name="Urn">The resource's URN.</param>
/// <param name="Type">The resource's type token.</param>
/// <param name="Id">The provider ID; <see langword="null"/> when a create was interrupted before an ID was known,
/// in which case the provider locates the object from <paramref name="Inputs"/> if it can.</param>
/// <param name="Inputs">The inputs recorded or declared, if any.</param>
/// <param name="Outputs">The outputs recorded in state, if any.</param>
public sealed record ReadRequest(string Urn, string Type, string? Id, PropertyMap? Inputs, PropertyMap? Outputs);

/// <summary>Whether a read found the resource.</summary>
public enum ReadStatus
{
    /// <summary>The resource exists; the response carries its live state.</summary>
    Found,

    /// <summary>The resource does not exist.</summary>
    NotFound,

    /// <summary>The provider cannot tell (e.g. no ID and no natural key); the user must settle it.</summary>
    Indeterminate,
}

/// <summary>Output of <see cref="IResourceProvider.ReadAsync"/>.</summary>
/// <param name="Status">Whether the resource was found.</param>
/// <param name="Id">The provider ID when found.</param>
/// <param name="Inputs">The inputs that would produce the live state, when found.</param>
/// <param name="Outputs">The live outputs, when found.</param>
public sealed record ReadResponse(ReadStatus Status, string? Id, PropertyMap Inputs, PropertyMap Outputs)
{
    /// <summary>The resource does not exist.</summary>
    public static ReadResponse NotFound { get; } = new(ReadStatus.NotFound, null, PropertyMap.Empty, PropertyMap.Empty);

    /// <summary>The provider cannot tell whether the resource exists.</summary>
    public static ReadResponse Indeterminate { get; } = new(ReadStatus.Indeterminate, null, PropertyMap.Empty, PropertyMap.Empty);

    /// <summary>The resource exists with this state.</summary>
    public static ReadResponse Found(string id, PropertyMap inputs, PropertyMap outputs) => new(ReadStatus.Found, id, inputs, outputs);
}

/// <summary>Input to <see cref="IResourceProvider.UpdateAsync"/>.</summary>
/// <param name="Urn">The resource's URN.</param>
/// <param name="Type">The resource's type token.</param>
/// <param name="Id">The provider ID.</param>
/// <param name="OldInputs">Inputs recorded in state.</param>
/// <param name="OldOutputs">Outputs recorded in state.</param>
/// <param name="NewInputs">Checked new inputs.</param>
/// <param name="Timeout">The resource's update timeout, if any.</param>
/// <param name="Preview">True in a preview: predict outputs, change nothing.</param>
public sealed record UpdateRequest(
    string Urn, string Type, string Id, PropertyMap OldInputs, PropertyMap OldOutputs, PropertyMap NewInputs, TimeSpan? Timeout, bool Preview);

/// <summary>Output of <see cref="IResourceProvider.UpdateAsync"/>.</summary>
/// <param name="Outputs">All output properties after the update.</param>
public sealed record UpdateResponse(PropertyMap Outputs);

/// <summary>Input to <see cref="IResourceProvider.DeleteAsync"/>.</summary>
/// <param name="Urn">The resource's URN.</param>
/// <param name="Type">The resource's type token.</param>
/// <param name="Id">The provider ID.</param>
/// <param name="Inputs">Inputs recorded in state.</param>
/// <param name="Outputs">Outputs recorded in state.</param>
/// <param name="Timeout">The resource's delete timeout, if any.</param>
public sealed record DeleteRequest(string Urn, string Type, string Id, PropertyMap Inputs, PropertyMap Outputs, TimeSpan? Timeout);

/// <summary>What an <see cref="IUpdateObserver"/> learns at the end of an update.</summary>
/// <param name="Stack">The stack name.</param>
/// <param name="Kind">The operation: update, rollback, refresh or destroy.</param>
/// <param name="Succeeded">True when every step succeeded.</param>
/// <param name="ChangedResources">How many of the stack's resources were created, updated, replaced or deleted.</param>
public sealed record UpdateCompletion(string Stack, string Kind, bool Succeeded, int ChangedResources)
{
    /// <summary>
    /// Identifies the update: every observer of one update gets the same value, so providers that share an outcome
    /// (two providers writing one GitOps folder) can act on it once.
    /// </summary>
    public Guid UpdateId { get; init; } = Guid.NewGuid();
}

/// <summary>Input to <see cref="IDeleteCheck.CheckDeleteAsync"/>: one resource a destroy is about to delete, and what else it deletes.</summary>
/// <param name="Urn">The resource's URN.</param>
/// <param name="Type">The resource's type token.</param>
/// <param name="Id">The provider ID.</param>
/// <param name="Inputs">Inputs recorded in state.</param>
/// <param name="Outputs">Outputs recorded in state.</param>
/// <param name="AlsoDeleted">Every resource the same destroy deletes (itself included), as type and ID: what will be gone by the time this delete runs.</param>
public sealed record DeleteCheckRequest(string Urn, string Type, string Id, PropertyMap Inputs, PropertyMap Outputs, ImmutableArray<DeletedObject> AlsoDeleted);

/// <summary>A resource a destroy deletes, as its provider knows it.</summary>
/// <param name="Type">The type token.</param>
/// <param name="Id">The provider ID.</param>
public sealed record DeletedObject(string Type, string Id);
