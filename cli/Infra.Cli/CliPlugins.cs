using Infra.Plugins.Manifest;
using Infra.Plugins.Projects;
using Infra.Plugins.Providers;
using Infra.Policies;
using Infra.Policies.Plugins;
using Infra.Providers;

namespace Infra.Cli;

/// <summary>
/// The plugins a project's operations use: the providers and policy packs of <c>plugins.lock</c>, checked against
/// the lock and <c>Pulumi.yaml</c> first (a missing or changed plugin stops the command in one line), each run under
/// its sandbox. A project without plugins gets none and needs no install step.
/// </summary>
internal sealed record CliPlugins(IReadOnlyList<IProviderFactory> Providers, IReadOnlyList<LoadedPolicyPack> Packs)
{
    public static CliPlugins None { get; } = new([], []);

    public static async Task<CliPlugins> LoadAsync(string projectDirectory, CancellationToken cancellationToken)
    {
        var installed = InstalledPlugins.Load(ProjectPluginSettings.Load(projectDirectory));
        if (installed.IsEmpty)
        {
            return None;
        }

        var providers = installed
            .Where(static p => p.Manifest.Kind == PluginManifest.ProviderKind)
            .Select(static p => (IProviderFactory)new PluginProviderFactory(p.Name, p.ToOptions()))
            .ToList();
        var packs = new List<LoadedPolicyPack>();
        foreach (var plugin in installed.Where(static p => p.Manifest.Kind == PluginManifest.PolicyKind))
        {
            // The pack's process lives as long as the command; it dies with it (the sandbox's --die-with-parent).
            var pack = await PluginPolicyPack.StartAsync(plugin.ToOptions(), cancellationToken).ConfigureAwait(false);
            packs.Add(new LoadedPolicyPack(pack, $"plugin {plugin.Name}@{plugin.Manifest.Version}"));
        }

        return new CliPlugins(providers, packs);
    }
}
