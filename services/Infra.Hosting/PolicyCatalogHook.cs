using System.Collections.Immutable;
using Infra.Configuration;
using Infra.Policies;
using Infra.Policies.Compliance;
using Infra.Policy;
using Infra.Values;

namespace Infra.Hosting;

/// <summary>
/// Chooses the policy packs an operation enforces: those the host requests (a built-in name or a path
/// to a pack assembly) plus the built-in packs the stack's settings file configures under <c>policies</c>.
/// </summary>
public static class PolicyCatalogHook
{
    private static readonly ImmutableDictionary<string, Func<PolicyPack>> s_builtIn =
        ImmutableDictionary<string, Func<PolicyPack>>.Empty.Add("compliance", static () => new CompliancePack());

    /// <summary>The names of the built-in packs.</summary>
    public static IReadOnlyCollection<string> BuiltInNames => s_builtIn.Keys.ToList();

    /// <summary>The workspace's policy resolver: the <paramref name="requested"/> packs plus those each stack's settings configure.</summary>
    public static Func<string, StackSettingsFile, IDeploymentPolicy?> Resolver(IReadOnlyList<string> requested) =>
        (stack, stackSettings) => Packs(requested, stackSettings).ForStack(stack, stackSettings);

    /// <summary>The packs for <paramref name="requested"/> names or paths plus those the settings file configures.</summary>
    /// <exception cref="UnknownPolicyPackException">A requested pack is neither built in nor an assembly file.</exception>
    public static PolicyPackSet Packs(IEnumerable<string> requested, StackSettingsFile? stackSettings)
    {
        var set = PolicyPackSet.Empty;
        foreach (var name in requested)
        {
            if (s_builtIn.TryGetValue(name, out var builtIn))
            {
                set = set.Find(name) is null ? set.Add(builtIn()) : set;
            }
            else if (File.Exists(name))
            {
                set = set.AddFromFile(name);
            }
            else
            {
                throw new UnknownPolicyPackException(name, [.. s_builtIn.Keys]);
            }
        }

        if (stackSettings?.Policies is { Kind: PropertyValueKind.Object } configured)
        {
            foreach (var name in configured.AsObject.Keys)
            {
                if (set.Find(name) is null && s_builtIn.TryGetValue(name, out var builtIn))
                {
                    set = set.Add(builtIn());
                }
            }
        }

        return set;
    }
}
