using System.Collections.Immutable;
using Infra.Policy;

namespace Infra.Policies;

/// <summary>What <c>infra policy ls</c> shows: every pack, its policies, their levels and their settings.</summary>
public static class PolicyCatalog
{
    /// <summary>
    /// Describes <paramref name="packs"/>. With a stack's <paramref name="settings"/>, <see cref="PolicyInfo.Level"/> is the
    /// level the policy runs at for that stack; without, its default.
    /// </summary>
    /// <exception cref="ConfigException">The settings are invalid for the packs.</exception>
    public static ImmutableArray<PolicyPackInfo> Describe(PolicyPackSet packs, PolicySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(packs);
        var bound = PolicyBinder.Bind(packs, settings ?? PolicySettings.Empty);
        return [.. packs.Packs.Select(pack => new PolicyPackInfo
        {
            Name = pack.Pack.Name,
            Version = pack.Version,
            Description = pack.Pack.Description,
            Source = pack.Source,
            Config = pack.Pack.Config.Properties,
            Policies = [.. bound.Where(b => ReferenceEquals(b.Pack, pack)).Select(static b => Describe(b))],
        })];
    }

    private static PolicyInfo Describe(BoundPolicy bound) => new()
    {
        Name = bound.Definition.Name,
        Description = bound.Definition.Description,
        Kind = bound.Definition is StackPolicy ? PolicyKind.Stack : PolicyKind.Resource,
        Selects = (bound.Definition as ResourcePolicy)?.Selector.Description,
        DefaultLevel = bound.Definition.DefaultLevel,
        Level = bound.Level,
        CanRemediate = bound.Definition.CanRemediate,
        Config = bound.Definition.Config.Properties,
    };
}

/// <summary>Whether a policy looks at one resource or at the whole stack.</summary>
public enum PolicyKind
{
    /// <summary>A <see cref="ResourcePolicy"/>.</summary>
    Resource,

    /// <summary>A <see cref="StackPolicy"/>.</summary>
    Stack,
}

/// <summary>A pack as listed by <c>infra policy ls</c>.</summary>
public sealed record PolicyPackInfo
{
    /// <summary>The pack's name.</summary>
    public required string Name { get; init; }

    /// <summary>The pack's version.</summary>
    public required string Version { get; init; }

    /// <summary>What the pack enforces.</summary>
    public required string Description { get; init; }

    /// <summary><c>built-in</c> or the assembly file.</summary>
    public required string Source { get; init; }

    /// <summary>The pack-wide settings.</summary>
    public required ImmutableArray<PolicyConfigProperty> Config { get; init; }

    /// <summary>The policies, in the order they run.</summary>
    public required ImmutableArray<PolicyInfo> Policies { get; init; }
}

/// <summary>A policy as listed by <c>infra policy ls</c>.</summary>
public sealed record PolicyInfo
{
    /// <summary>The policy's name.</summary>
    public required string Name { get; init; }

    /// <summary>What it requires and why.</summary>
    public required string Description { get; init; }

    /// <summary>Resource or stack policy.</summary>
    public required PolicyKind Kind { get; init; }

    /// <summary>What a resource policy selects; <see langword="null"/> for stack policies.</summary>
    public string? Selects { get; init; }

    /// <summary>The level it runs at unless a stack says otherwise.</summary>
    public required EnforcementLevel DefaultLevel { get; init; }

    /// <summary>The level it runs at for the stack described (its default when none).</summary>
    public required EnforcementLevel Level { get; init; }

    /// <summary>True when it can run at <see cref="EnforcementLevel.Remediate"/>.</summary>
    public required bool CanRemediate { get; init; }

    /// <summary>Its settings.</summary>
    public required ImmutableArray<PolicyConfigProperty> Config { get; init; }
}
