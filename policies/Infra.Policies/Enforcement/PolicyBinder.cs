using System.Collections.Immutable;
using Infra.Policy;
using Infra.Values;

namespace Infra.Policies;

/// <summary>
/// Settles each policy's level and config for one stack from the stack's settings, checking every name, level and
/// value; a mistake is a <see cref="ConfigException"/> naming the settings file, the key, the pack and the policy.
/// </summary>
internal static class PolicyBinder
{
    public static ImmutableArray<BoundPolicy> Bind(PolicyPackSet packs, PolicySettings settings)
    {
        var source = settings.Source;
        foreach (var name in settings.Packs.Keys)
        {
            if (packs.Find(name) is null)
            {
                var loaded = packs.Packs.IsEmpty ? "none" : string.Join(", ", packs.Packs.Select(static p => p.Pack.Name));
                throw new ConfigException(source, $"policies.{name}",
                    $"no policy pack named '{name}' is loaded (loaded: {loaded}); pass --policy-pack with the pack's assembly, or remove the section.");
            }
        }

        var bound = ImmutableArray.CreateBuilder<BoundPolicy>();
        foreach (var pack in packs.Packs)
        {
            bound.AddRange(BindPack(pack, settings.Packs.GetValueOrDefault(pack.Pack.Name), source));
        }

        return bound.ToImmutable();
    }

    private static IEnumerable<BoundPolicy> BindPack(LoadedPolicyPack loaded, PropertyValue? section, string source)
    {
        var pack = loaded.Pack;
        var prefix = $"policies.{pack.Name}";
        EnforcementLevel? packLevel = null;
        var packValues = PropertyMap.CreateBuilder();
        var entries = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        if (section is { Kind: PropertyValueKind.Object })
        {
            foreach (var (key, value) in section.AsObject)
            {
                if (key == PolicySettings.LevelKey)
                {
                    packLevel = PolicySettings.CheckLevel(value, source, $"{prefix}.{key}", $"pack '{pack.Name}'");
                }
                else if (pack.Policies.Any(p => p.Name == key))
                {
                    entries[key] = value;
                }
                else if (pack.Config.Find(key) is not null)
                {
                    packValues[key] = value;
                }
                else
                {
                    throw new ConfigException(source, $"{prefix}.{key}",
                        $"pack '{pack.Name}': '{key}' is neither one of its policies ({string.Join(", ", pack.Policies.Select(static p => p.Name))}) " +
                        $"nor one of its settings ({string.Join(", ", pack.Config.Properties.Select(static p => p.Key).Append(PolicySettings.LevelKey))}).");
                }
            }
        }
        else if (section is not null)
        {
            packLevel = PolicySettings.CheckLevel(section, source, prefix, $"pack '{pack.Name}'", orMapping: true);
        }

        var packConfig = PolicyConfig.Bind(pack.Config, packValues.ToPropertyMap(),
            (key, message) => new ConfigException(source, $"{prefix}.{key}", $"pack '{pack.Name}': {message}"));
        foreach (var policy in pack.Policies)
        {
            yield return BindPolicy(loaded, policy, entries.GetValueOrDefault(policy.Name), packLevel, packConfig, source);
        }
    }

    private static BoundPolicy BindPolicy(
        LoadedPolicyPack loaded, PolicyDefinition policy, PropertyValue? entry, EnforcementLevel? packLevel, PolicyConfig packConfig, string source)
    {
        var key = $"policies.{loaded.Pack.Name}.{policy.Name}";
        var owner = $"pack '{loaded.Pack.Name}', policy '{policy.Name}'";
        EnforcementLevel? level = null;
        var values = PropertyMap.Empty;
        if (entry is { Kind: PropertyValueKind.Object } mapping)
        {
            values = mapping.AsObject.Remove(PolicySettings.LevelKey);
            if (mapping.AsObject.GetValueOrDefault(PolicySettings.LevelKey) is { } levelValue)
            {
                level = PolicySettings.CheckLevel(levelValue, source, $"{key}.{PolicySettings.LevelKey}", owner);
            }
        }
        else if (entry is { IsNull: false })
        {
            level = PolicySettings.CheckLevel(entry, source, key, owner, orMapping: true);
        }

        if (level == EnforcementLevel.Remediate && !policy.CanRemediate)
        {
            throw new ConfigException(source, key, $"{owner}: the policy cannot remediate; use advisory, mandatory or disabled.");
        }

        var config = PolicyConfig.Bind(policy.Config, values, (k, message) => new ConfigException(source, $"{key}.{k}", $"{owner}: {message}"));
        // A pack-wide 'remediate' asks every policy to fix what it can; the ones that cannot fix anything enforce instead.
        var effective = level ?? (packLevel == EnforcementLevel.Remediate && !policy.CanRemediate ? EnforcementLevel.Mandatory : packLevel)
            ?? policy.DefaultLevel;
        return new BoundPolicy(loaded, policy, effective, config, packConfig);
    }
}
