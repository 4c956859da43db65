using System.Collections.Concurrent;
using Infra.Values;

namespace Infra;

/// <summary>
/// Where outputs are evaluated: one preview or one update. It knows each resource's resolved outputs and
/// memoizes <see cref="Output{T}.Apply{U}(Func{T, U})"/> results so a user function runs once per evaluation.
/// </summary>
internal abstract class OutputScope
{
    private readonly ConcurrentDictionary<object, object> _memo = new(ReferenceEqualityComparer.Instance);

    protected OutputScope(CancellationToken cancellationToken) => CancellationToken = cancellationToken;

    /// <summary>Cancels user functions and provider calls of this evaluation.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True in a preview: values that depend on unapplied resources are unknown.</summary>
    public abstract bool IsPreview { get; }

    /// <summary>Waits for <paramref name="resource"/> to be processed and returns its ID and outputs.</summary>
    public abstract ValueTask<ResolvedResource> ResolveAsync(Resource resource);

    /// <summary>Runs <paramref name="compute"/> once per key for this scope.</summary>
    public Task<TResult> Memoize<TResult>(object key, Func<Task<TResult>> compute) =>
        (Task<TResult>)_memo.GetOrAdd(key, static (_, f) => ((Func<Task<TResult>>)f)(), compute);
}

/// <summary>A processed resource as seen by expressions that read its outputs.</summary>
/// <param name="Id">The provider ID; unknown in a preview of a create. Components have <see cref="PropertyValue.Null"/>.</param>
/// <param name="Outputs">The output properties, which may hold unknowns in a preview.</param>
/// <param name="Predicted">True in a preview of a create, update or replace: outputs the provider did not predict are
/// unknown, not absent.</param>
internal sealed record ResolvedResource(PropertyValue Id, PropertyMap Outputs, bool Predicted = false);
