using Infra.Values;

namespace Infra.Testing;

/// <summary>
/// Stands in for every provider when a stack runs under <see cref="StackTest"/>: decides the ID and outputs of each
/// resource the program declares, so a component author can test a stack offline, in milliseconds.
/// </summary>
public interface IMocks
{
    /// <summary>Returns the ID and outputs for a created or updated resource.</summary>
    Task<MockResult> NewResourceAsync(MockResourceArgs args, CancellationToken cancellationToken);
}

/// <summary>A resource being created or updated under test.</summary>
/// <param name="Urn">Its URN.</param>
/// <param name="Type">Its type token.</param>
/// <param name="Name">Its name.</param>
/// <param name="Inputs">Its inputs, secrets marked.</param>
/// <param name="Id">The existing ID on update, else <see langword="null"/>.</param>
public sealed record MockResourceArgs(string Urn, string Type, string Name, PropertyMap Inputs, string? Id);

/// <summary>What a mock returns.</summary>
/// <param name="Id">The provider ID.</param>
/// <param name="Outputs">The outputs (conventionally the inputs plus computed properties).</param>
public sealed record MockResult(string Id, PropertyMap Outputs);

/// <summary>Echoes inputs as outputs and names IDs after resources; override <see cref="NewResourceAsync"/> to add computed outputs.</summary>
public class EchoMocks : IMocks
{
    /// <inheritdoc/>
    public virtual Task<MockResult> NewResourceAsync(MockResourceArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Task.FromResult(new MockResult(args.Id ?? $"{args.Name}-id", args.Inputs));
    }
}
