using k8s;
using k8s.Models;

namespace Infra.Providers.Kubernetes.Cluster;

/// <summary>
/// A JSON merge patch of a custom resource's <c>status</c> subresource in a live cluster: how controllers' own tools
/// (Argo's <c>kubectl argo rollouts promote</c> and <c>abort</c>) signal a decision that is no part of the declared spec.
/// </summary>
public static class ClusterStatusPatch
{
    /// <summary>Patches the status of <paramref name="plural"/>/<paramref name="name"/> in <paramref name="namespace"/>.</summary>
    /// <exception cref="InfraException">The target is not a cluster, or the API server refused.</exception>
    public static async Task PatchAsync(
        KubernetesSettings settings, string group, string version, string plural, string @namespace, string name, string mergePatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Mode != KubernetesMode.Cluster)
        {
            throw new InfraException("a status patch needs kubernetes:mode cluster.");
        }

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(settings.Kubeconfig, settings.Context);
        using var client = new k8s.Kubernetes(configuration);
        try
        {
            await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), group, version, @namespace, plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex)
        {
            throw new InfraException($"the cluster refused the status patch of {plural}/{name} in '{@namespace}': {(int)ex.Response.StatusCode} {ex.Response.ReasonPhrase}.", ex);
        }
    }
}
