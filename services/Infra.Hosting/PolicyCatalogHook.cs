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
    /// <paramref name="plugins"/>, plus the packs the <paramref name="project"/> makes every stack of the stack's kind
    /// run (<c>policyPacks</c>) and those each stack's settings configure.
    /// </summary>
    /// <param name="requested">Built-in pack names or pack assembly paths (<c>--policy-pack</c>).</param>
    /// <param name="plugins">The project's installed policy plugins.</param>
    /// <param name="project">The project file, for its default packs per stack kind.</param>
    /// <param name="resolved">Told which packs a stack's operation runs, so a host can name them.</param>
    public static Func<string, StackSettingsFile, IDeploymentPolicy?> Resolver(
        IReadOnlyList<string> requested,
        IReadOnlyList<LoadedPolicyPack>? plugins = null,
        ProjectFile? project = null,
        Action<string, PolicyPackSet>? resolved = null)
    {
        var packs = new Lazy<PolicyPackSet>(() => (plugins ?? []).Aggregate(Packs(requested, stackSettings: null), static (set, p) => set.Add(p.Pack, p.Source)));
        return (stack, stackSettings) =>
        {
            var set = WithConfigured(WithDefaults(packs.Value, project, stackSettings), stackSettings);
            resolved?.Invoke(stack, set);
            return set.ForStack(stack, stackSettings);
        };
    }

    /// <summary>
    /// The packs for <paramref name="requested"/> names or paths, plus the <paramref name="project"/>'s defaults for
    /// the stack's kind and those the settings file configures.
    /// </summary>
    /// <exception cref="UnknownPolicyPackException">A requested pack is neither built in nor an assembly file.</exception>
    /// <exception cref="ConfigException">A default pack is unknown, or the stack's settings disable one.</exception>
    public static PolicyPackSet Packs(IEnumerable<string> requested, StackSettingsFile? stackSettings, ProjectFile? project = null)
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

        return WithConfigured(WithDefaults(set, project, stackSettings), stackSettings);
    }

    /// <summary>Adds the packs the project makes every stack of this stack's kind run, and refuses settings that turn one off.</summary>
    private static PolicyPackSet WithDefaults(PolicyPackSet set, ProjectFile? project, StackSettingsFile? stackSettings)
    {
        if (project is null || stackSettings is null ||
            stackSettings.Config.GetValueOrDefault(StackKinds.KindKey) is not { IsSecret: false, Value: var kind } ||
            !project.DefaultPolicyPacks.TryGetValue(kind, out var defaults))
        {
            return set;
        }

        foreach (var name in defaults)
        {
            if (set.Find(name) is null)
            {
                set = s_builtIn.TryGetValue(name, out var builtIn)
                    ? set.Add(builtIn())
                    : throw new ConfigException(project.FilePath, $"policyPacks.{kind}",
                        $"{ErrorText.Quote(name)} is neither a built-in policy pack ({string.Join(", ", s_builtIn.Keys)}) nor an installed policy plugin.");
            }

            if (stackSettings.Policies is { Kind: PropertyValueKind.Object } configured &&
                configured.AsObject.TryGetValue(name, out var packSettings) && TurnsOff(packSettings))
            {
                // A default pack is the project's promise about every stack of the kind; a stack may tune it, not drop it.
                throw new ConfigException(stackSettings.Path, $"policies.{name}",
                    $"the policy pack {ErrorText.Quote(name)} runs on every {kind} stack ('policyPacks' in {ProjectFile.FileName}) and cannot be disabled here; " +
                    $"disable single policies instead, e.g. '{name}: {{ health-probes: disabled }}'.");
            }
        }

        return set;
    }

    private static bool TurnsOff(PropertyValue packSettings)
    {
        var level = packSettings.Unwrapped.Kind == PropertyValueKind.Object
            ? packSettings.Unwrapped.AsObject.TryGetValue(PolicySettings.LevelKey, out var value) ? value : null
            : packSettings;
        return level is not null && level.TryGetString(out var name) && EnforcementLevels.TryParse(name) == EnforcementLevel.Disabled;
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
        var host = PolicyPackHosting.FindHost(AppContext.BaseDirectory);
        var options = PolicyPackHosting.Options(path, host, sandboxed: BubblewrapLauncher.Bubblewrap is not null);
        // The policy resolver is synchronous; the pack starts once per command.
        return PluginPolicyPack.StartAsync(options, CancellationToken.None).GetAwaiter().GetResult();
    }
}
