namespace Infra.Policies;

/// <summary>A pack and where it came from.</summary>
/// <param name="Pack">The pack.</param>
/// <param name="Source"><see cref="PolicyPackSet.BuiltInSource"/> or the assembly file it was loaded from.</param>
public sealed record LoadedPolicyPack(PolicyPack Pack, string Source)
{
    /// <summary>The pack's version, read once (a pack's properties are its author's code).</summary>
    public string Version { get; } = Pack.Version;
}
