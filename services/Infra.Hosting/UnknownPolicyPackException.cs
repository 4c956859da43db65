using System.Collections.Immutable;

namespace Infra.Hosting;

/// <summary>A requested policy pack is neither a built-in pack nor a pack assembly file.</summary>
public sealed class UnknownPolicyPackException : InfraException
{
    /// <summary>Creates the error for <paramref name="name"/>.</summary>
    public UnknownPolicyPackException(string name, ImmutableArray<string> builtIn)
        : base($"policy pack '{name}' is neither a built-in pack ({string.Join(", ", builtIn)}) nor a pack assembly file.")
    {
        Name = name;
        BuiltIn = builtIn;
    }

    /// <summary>The requested name or path.</summary>
    public string Name { get; }

    /// <summary>The built-in packs' names.</summary>
    public ImmutableArray<string> BuiltIn { get; }
}
