using System.Collections.Immutable;

namespace Infra.Deployment;

/// <summary>
/// Interrupted operations that no provider can read back block the stack until they are settled: forgotten
/// (<c>OperationOptions.ClearPending</c>) or, for a create that did happen, adopted by the ID it got
/// (<c>OperationOptions.ImportPending</c>). Nothing ran.
/// </summary>
public sealed class PendingOperationsException : InfraException
{
    /// <summary>Creates the error for <paramref name="stack"/>.</summary>
    /// <param name="stack">The stack.</param>
    /// <param name="operations">Each unresolved operation: its kind (<c>create</c>, <c>update</c>…) and the resource's URN.</param>
    public PendingOperationsException(string stack, ImmutableArray<(string Kind, string Urn)> operations)
        : base($"stack '{stack}' has {operations.Length} interrupted operation(s) the providers cannot read back " +
               $"({string.Join(", ", operations.Select(static o => $"{o.Kind} {o.Urn}"))}); forget them, or adopt what was created by its ID.")
    {
        Stack = stack;
        Operations = operations;
    }

    /// <summary>The stack.</summary>
    public string Stack { get; }

    /// <summary>Each unresolved operation: its kind and the resource's URN.</summary>
    public ImmutableArray<(string Kind, string Urn)> Operations { get; }

    /// <summary>The URNs of the unresolved operations.</summary>
    public IEnumerable<string> Urns => Operations.Select(static o => o.Urn);
}
