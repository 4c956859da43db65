using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// A hand-made change to one object in a stack's folder of the GitOps tree, committed on its own and pushed like an
/// update's commit (never a rewrite of history): what operators do to a live object (promote a Rollout, abort it)
/// recorded in the repository the cluster follows. The next <c>up</c> of the stack writes the object as declared again.
/// </summary>
public static class GitOpsObjectEdit
{
    /// <summary>Changes the object <paramref name="kind"/>/<paramref name="name"/> in <paramref name="namespace"/> and commits it.</summary>
    /// <param name="settings">The stack's Kubernetes target; it must be GitOps.</param>
    /// <param name="stack">The stack whose folder holds the object.</param>
    /// <param name="namespace">The object's namespace.</param>
    /// <param name="kind">Its kind, e.g. <c>Rollout</c>.</param>
    /// <param name="name">Its name.</param>
    /// <param name="edit">The change: the object as it is, and its earlier committed versions (newest first), to the object as it shall be.</param>
    /// <param name="summary">The commit's summary line.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The commit's hash.</returns>
    /// <exception cref="InfraException">The object is not in the tree, the change is a no-op, or git failed.</exception>
    public static async Task<string> CommitAsync(
        KubernetesSettings settings, string stack, string @namespace, string kind, string name,
        Func<PropertyMap, IReadOnlyList<PropertyMap>, PropertyMap> edit, string summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(edit);
        if (settings.Mode != KubernetesMode.GitOps)
        {
            throw new InfraException($"stack '{stack}' targets a cluster, not a GitOps tree.");
        }

        var repository = new GitOpsRepository(settings.GitOpsPath, settings.GitOpsRemote, settings.GitOpsBranch);
        var relativePath = $"{@namespace}/{kind.ToLowerInvariant()}-{name}.yaml";
        var history = await repository.HistoryAsync(stack, relativePath, 20, cancellationToken).ConfigureAwait(false);
        await repository.ChangeAsync(stack, async folder =>
        {
            var text = await folder.ReadAsync(relativePath, cancellationToken).ConfigureAwait(false)
                ?? throw new InfraException($"{kind} '{name}' is not in the GitOps tree ('{stack}/{relativePath}'); run 'infra up -s {stack}' first.");
            var current = ManifestYaml.ReadOne(text, $"{stack}/{relativePath}");
            var earlier = history.Select(v => ManifestYaml.ReadOne(v, $"{stack}/{relativePath}")).ToList();
            folder.Write(relativePath, ManifestYaml.Write(edit(current, earlier)), cancellationToken);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return await repository.CommitFileAsync(stack, relativePath, summary, $"A hand-made change to {kind} {@namespace}/{name}; the next 'infra up -s {stack}' writes it as declared again.", cancellationToken)
            .ConfigureAwait(false);
    }
}
