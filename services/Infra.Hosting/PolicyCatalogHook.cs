using System.Collections.Immutable;
using Infra.Configuration;
using Infra.Policies;
using Infra.Plugins.Sandbox;
using Infra.Policies.Compliance;
using Infra.Policies.Plugins;
using Infra.Policy;
using Infra.Values;

namespace Infra.Hosting;

/// <summary>
/// Chooses the policy packs an operation enforces: those the host requests (a built-in name or a path
/// to a pack assembly), the project's installed policy plugins, and the built-in packs the stack's settings file
/// configures under <c>policies</c>. A pack assembly given by path runs out of process, through the C# host under
/// the plugin sandbox, never inside the CLI with its rights.
/// </summary>
public static class PolicyCatalogHook
{
    private static readonly ImmutableDictionary<string, Func<PolicyPack>> s_builtIn =
        ImmutableDictionary<string, Func<PolicyPack>>.Empty.Add("compliance", static () => new CompliancePack());

    /// <summary>The names of the built-in packs.</summary>
    public static IReadOnlyCollection<string> BuiltInNames => s_builtIn.Keys.ToList();

    /// <summary>
    /// The workspace's policy resolver: the <paramref name="requested"/> packs and the project's installed policy
    /// <paramref name="plugins"/>, plus those each stack's settings configure.
    /// </summary>
    public static Func<string, StackSettingsFile, IDeploymentPolicy?> Resolver(IReadOnlyList<string> requested, IReadOnlyList<LoadedPolicyPack>? plugins = null)
    {
        var packs = new Lazy<PolicyPackSet>(() => (plugins ?? []).Aggregate(Packs(requested, stackSettings: null), static (set, p) => set.Add(p.Pack, p.Source)));
        return (stack, stackSettings) => WithConfigured(packs.Value, stackSettings).ForStack(stack, stackSettings);
    }

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
                set = set.Add(StartOutOfProcess(name), Path.GetFullPath(name));
            }
            else
            {
                throw new UnknownPolicyPackException(name, [.. s_builtIn.Keys]);
            }
        }

        return WithConfigured(set, stackSettings);
    }

    /// <summary>Adds the built-in packs the settings file configures and the set lacks.</summary>
    private static PolicyPackSet WithConfigured(PolicyPackSet set, StackSettingsFile? stackSettings)
    {
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

    /// <summary>Starts the C# host serving the pack in <paramref name="path"/>, sandboxed where bubblewrap is installed.</summary>
    private static PluginPolicyPack StartOutOfProcess(string path)
    {
        var host = Path.Combine(AppContext.BaseDirectory, PolicyPackHosting.HostFileName);
        var options = PolicyPackHosting.Options(path, host, sandboxed: BubblewrapLauncher.Bubblewrap is not null);
        // The policy resolver is synchronous; the pack starts once per command.
        return PluginPolicyPack.StartAsync(options, CancellationToken.None).GetAwaiter().GetResult();
    }
}
