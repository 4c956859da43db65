using Infra.Automation;
using Infra.Configuration;
using Infra.Policy;
using Infra.Providers;

namespace Infra.Hosting;

/// <summary>
/// The workspace options every host starts from: the state backends, the providers, the stack kinds and the policy
/// packs of this product. The CLI adds its plugins and command-line choices; the onboarding service adds its
/// database-backed config store, its backend and the shared tenant settings.
/// </summary>
public static class HostWorkspaces
{
    /// <summary>Options for the project in <paramref name="projectDirectory"/>.</summary>
    /// <param name="projectDirectory">The folder holding Pulumi.yaml.</param>
    /// <param name="providers">The providers; default <see cref="ProviderCatalog.All"/>.</param>
    /// <param name="programResolver">Chooses a stack's program; default <see cref="StackKinds.Resolve"/> (by <c>infra:kind</c>).</param>
    /// <param name="policyResolver">Chooses the policy packs; default the project's default packs for each stack kind (<c>policyPacks</c> in Pulumi.yaml) and the packs each stack's settings configure.</param>
    public static WorkspaceOptions Options(
        string projectDirectory,
        IReadOnlyList<IProviderFactory>? providers = null,
        Func<string, StackConfig, StackProgram>? programResolver = null,
        Func<string, StackSettingsFile, IDeploymentPolicy?>? policyResolver = null) => new()
    {
        ProjectDirectory = projectDirectory,
        StateBackends = StateBackendCatalog.All,
        Providers = providers ?? ProviderCatalog.All,
        ProgramResolver = programResolver ?? StackKinds.Resolve,
        ConfigRules = StackKinds.ConfigRule,
        PolicyResolver = policyResolver ?? PolicyCatalogHook.Resolver([], project: ProjectFile.Find(projectDirectory)),
    };
}
