using Infra.Values;

namespace Infra;

/// <summary>Reads another stack's outputs for a <see cref="StackReference"/>; secrets stay marked secret.</summary>
public interface IStackOutputsReader
{
    /// <summary>Returns the outputs of <paramref name="stack"/>.</summary>
    /// <exception cref="InfraException">The stack does not exist or cannot be read.</exception>
    Task<PropertyMap> ReadOutputsAsync(string stack, CancellationToken cancellationToken);
}
