using Infra.Configuration;
using Infra.Policy;

namespace Infra.Stacks.Cli;

/// <summary>Resolves the policy packs a command enforces (built in and from <c>--policy-pack</c>) for a stack.</summary>
internal static class PolicyCatalogHook
{
    public static Func<string, StackSettingsFile, IDeploymentPolicy?>? Resolver(GlobalSettings settings) =>
        settings is OperationSettings { PolicyPacks.Length: > 0 } operation
            ? throw new InfraException($"policy pack '{operation.PolicyPacks[0]}' cannot be loaded: policy packs are not available in this build.")
            : null;
}
