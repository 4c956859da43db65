using Infra.Automation;
using Infra.Providers.Kubernetes;

namespace Infra.Cli.Rendering;

/// <summary>
/// The line under a preview's heading that says where a stack's Kubernetes objects go, so that nobody applies to a
/// live cluster (or only to a local work tree) without seeing it: <c>kubernetes: gitops, .gitops/acme, pushed to …</c>.
/// </summary>
internal static class KubernetesTarget
{
    /// <summary>The line, or <see langword="null"/> for a stack that declares no Kubernetes objects (a synthetic one).</summary>
    /// <exception cref="InfraException">A <c>kubernetes:*</c> value is invalid (the message names the key).</exception>
    public static string? Describe(WorkspaceStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var config = stack.GetConfig();
        var kind = config.Keys.Contains("infra:kind") ? config.Get("infra:kind") : null;
        var kubernetes = config.ForNamespace(KubernetesSettings.ConfigNamespace);
        if (kind is not ("tenant" or "platform") && kubernetes.Count == 0)
        {
            return null;
        }

        var environment = new Dictionary<string, string?> { ["KUBECONFIG"] = Environment.GetEnvironmentVariable("KUBECONFIG") };
        var project = stack.Workspace.Project.Directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var settings = KubernetesSettings.FromConfig(kubernetes, project, environment);
        // Paths inside the project are shown relative to it, as the user configured them.
        return $"kubernetes: {settings.Describe(stack.Name).Replace(project, string.Empty, StringComparison.Ordinal)}";
    }
}
