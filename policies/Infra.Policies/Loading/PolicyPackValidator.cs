using Infra.Policy;

namespace Infra.Policies;

/// <summary>Checks that a pack is well formed before it is used, so a broken pack fails at load with its name, not mid-preview.</summary>
internal static class PolicyPackValidator
{
    public static void Validate(LoadedPolicyPack loaded)
    {
        var pack = loaded.Pack;
        string name;
        IReadOnlyList<PolicyDefinition> policies;
        try
        {
            name = pack.Name;
            policies = pack.Policies;
            _ = pack.Config;
        }
        catch (Exception ex)
        {
            throw new InfraException($"the policy pack {pack.GetType().FullName} from {loaded.Source} failed to initialise: {ex.GetType().Name}: {ex.Message}", ex);
        }

        if (!IsValidName(name))
        {
            throw new InfraException($"the policy pack {pack.GetType().FullName} from {loaded.Source} has an invalid name '{name}': use lower-case letters, digits and '-'.");
        }

        var owner = $"policy pack '{name}' (from {loaded.Source})";
        if (string.IsNullOrWhiteSpace(loaded.Version))
        {
            throw new InfraException($"{owner} has no version: set <Version> in its project or override PolicyPack.Version.");
        }

        if (policies is null || policies.Count == 0 || policies.Any(static p => p is null))
        {
            throw new InfraException($"{owner} declares no policies, or a null one.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (!IsValidName(policy.Name) || policy.Name == PolicySettings.LevelKey)
            {
                throw new InfraException($"{owner}: policy {policy.GetType().Name} has an invalid name '{policy.Name}': use lower-case letters, digits and '-' (not 'level').");
            }

            if (!seen.Add(policy.Name))
            {
                throw new InfraException($"{owner}: two policies are named '{policy.Name}'.");
            }

            if (pack.Config.Find(policy.Name) is not null)
            {
                throw new InfraException($"{owner}: '{policy.Name}' is both a policy and a pack setting; rename one.");
            }

            if (policy.DefaultLevel == EnforcementLevel.Remediate && !policy.CanRemediate)
            {
                throw new InfraException($"{owner}: policy '{policy.Name}' defaults to remediate but is not a RemediatingResourcePolicy.");
            }

            if (policy is not (ResourcePolicy or StackPolicy))
            {
                throw new InfraException($"{owner}: policy '{policy.Name}' must derive from ResourcePolicy or StackPolicy.");
            }
        }
    }

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && char.IsAsciiLetterLower(name[0]) &&
        name.All(static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
