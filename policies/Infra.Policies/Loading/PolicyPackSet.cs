using System.Collections.Immutable;
using Infra.Configuration;
using Infra.Policy;

namespace Infra.Policies;

/// <summary>
/// The packs a process enforces: built-in packs registered in code plus packs loaded from assemblies
/// (<c>--policy-pack</c>). Every pack in the set runs on every stack, at the levels the stack's settings give
/// (a stack turns a pack off with <c>policies: { name: disabled }</c>). Immutable: each <c>Add</c> returns a new set.
/// </summary>
/// <example>
/// <code>
/// var packs = PolicyPackSet.Of(new CompliancePack()).AddFromFile("build/Acme.Policies.dll");
/// await using var workspace = await Workspace.OpenAsync(new WorkspaceOptions
/// {
///     ProjectDirectory = ".",
///     StateBackends = StateBackendCatalog.All,
///     PolicyResolver = packs.ForStack,
/// });
/// </code>
/// </example>
public sealed class PolicyPackSet
{
    /// <summary>The <see cref="LoadedPolicyPack.Source"/> of packs registered in code.</summary>
    public const string BuiltInSource = "built-in";

    private PolicyPackSet(ImmutableArray<LoadedPolicyPack> packs) => Packs = packs;

    /// <summary>No packs.</summary>
    public static PolicyPackSet Empty { get; } = new([]);

    /// <summary>The packs, in the order they run.</summary>
    public ImmutableArray<LoadedPolicyPack> Packs { get; }

    /// <summary>A set of built-in packs.</summary>
    /// <exception cref="InfraException">A pack is malformed, or two share a name.</exception>
    public static PolicyPackSet Of(params PolicyPack[] packs)
    {
        ArgumentNullException.ThrowIfNull(packs);
        return packs.Aggregate(Empty, static (set, pack) => set.Add(pack));
    }

    /// <summary>Returns the set with <paramref name="pack"/> added.</summary>
    /// <exception cref="InfraException">The pack is malformed, or a pack of the same name is already in the set.</exception>
    public PolicyPackSet Add(PolicyPack pack, string source = BuiltInSource)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var loaded = new LoadedPolicyPack(pack, source);
        PolicyPackValidator.Validate(loaded);
        if (Find(pack.Name) is { } existing)
        {
            throw new InfraException($"policy pack '{pack.Name}' is loaded twice (from {existing.Source} and from {source}); keep one.");
        }

        return new PolicyPackSet(Packs.Add(loaded));
    }

    /// <summary>Returns the set with every pack in the assembly at <paramref name="path"/> added (<c>--policy-pack</c>).</summary>
    /// <exception cref="InfraException">The file is missing, is not a .NET assembly, holds no pack, or a pack is malformed or loaded twice.</exception>
    public PolicyPackSet AddFromFile(string path)
    {
        var set = this;
        foreach (var pack in PolicyPackLoader.LoadFromFile(path))
        {
            set = set.Add(pack, Path.GetFullPath(path));
        }

        return set;
    }

    /// <summary>The pack named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public LoadedPolicyPack? Find(string name) => Packs.FirstOrDefault(p => p.Pack.Name == name);

    /// <summary>An enforcer for <paramref name="stack"/> with <paramref name="settings"/>.</summary>
    /// <exception cref="ConfigException">The settings name an unknown pack or policy, a bad level, or a bad config value.</exception>
    public PolicyEnforcer CreateEnforcer(string stack, PolicySettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stack);
        ArgumentNullException.ThrowIfNull(settings);
        return new PolicyEnforcer(stack, PolicyBinder.Bind(this, settings));
    }

    /// <summary>
    /// The engine's policy for a stack, from the <c>policies</c> section of its settings file; <see langword="null"/>
    /// when the set is empty. Matches <c>WorkspaceOptions.PolicyResolver</c>: pass <c>packs.ForStack</c>.
    /// </summary>
    /// <exception cref="ConfigException">The settings are invalid; the operation stops before anything runs.</exception>
    public IDeploymentPolicy? ForStack(string stack, StackSettingsFile settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var policySettings = PolicySettings.FromStackSettings(settings);
        if (Packs.IsEmpty)
        {
            // Still refuse settings for packs nobody loaded: silently not enforcing them would be worse than failing.
            PolicyBinder.Bind(this, policySettings);
            return null;
        }

        return CreateEnforcer(stack, policySettings);
    }
}
