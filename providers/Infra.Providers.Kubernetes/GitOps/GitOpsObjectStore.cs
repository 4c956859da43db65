using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// Kubernetes objects as manifest files in one stack's folder of a GitOps work tree. The object's ID is its path
/// relative to the stack folder (<see cref="ObjectIdentity.RelativePath"/>).
/// </summary>
internal sealed class GitOpsObjectStore(GitOpsRepository repository, string stack)
{
    /// <summary>The repository.</summary>
    public GitOpsRepository Repository { get; } = repository;

    /// <summary>The stack whose folder this store writes.</summary>
    public string Stack { get; } = stack;

    /// <summary>
    /// Writes new manifests. A file that already holds the same object is adopted (a create a crash interrupted after
    /// the write); a file holding anything else is a conflict and nothing is written.
    /// </summary>
    /// <param name="urn">The resource, for the conflict message.</param>
    /// <param name="manifests">The manifests to write.</param>
    /// <param name="sameObject">Decides whether an existing manifest is the declared object; by default, equality.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ResourceException">A file exists with different content.</exception>
    public Task CreateAsync(
        string urn, IReadOnlyList<PropertyMap> manifests, CancellationToken cancellationToken, Func<PropertyMap, PropertyMap, bool>? sameObject = null) =>
        Repository.ChangeAsync(Stack, async folder =>
        {
            var pending = new List<(string Path, string Content)>();
            foreach (var manifest in manifests)
            {
                var identity = ObjectIdentity.Of(manifest);
                var content = ManifestYaml.Write(manifest);
                var existing = await folder.ReadAsync(identity.RelativePath, cancellationToken).ConfigureAwait(false);
                if (existing is not null && existing != content && !SameObject(existing, manifest, sameObject))
                {
                    throw new ResourceException(urn,
                        $"{identity.Describe()}: '{Stack}/{identity.RelativePath}' already exists in the GitOps tree with different content; " +
                        $"another resource or a hand edit owns it. Remove the file, or import it with ID '{identity.RelativePath}'.");
                }

                pending.Add((identity.RelativePath, content));
            }

            foreach (var (path, content) in pending)
            {
                folder.Write(path, content, cancellationToken);
            }

            return true;
        }, cancellationToken);

    /// <summary>Writes manifests over whatever is there, and removes the files in <paramref name="removed"/>.</summary>
    public Task ReplaceAsync(IReadOnlyList<PropertyMap> manifests, IEnumerable<string> removed, CancellationToken cancellationToken) =>
        Repository.ChangeAsync(Stack, folder =>
        {
            foreach (var path in removed)
            {
                folder.Delete(path);
            }

            foreach (var manifest in manifests)
            {
                folder.Write(ObjectIdentity.Of(manifest).RelativePath, ManifestYaml.Write(manifest), cancellationToken);
            }

            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>Reads a manifest back, or <see langword="null"/> when its file is gone.</summary>
    /// <exception cref="InfraException">The file is not a valid single-object manifest.</exception>
    public async Task<PropertyMap?> ReadAsync(string relativePath, CancellationToken cancellationToken)
    {
        var text = await Repository.ReadAsync(Stack, relativePath, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return null;
        }

        var path = Path.Combine(Repository.StackFolder(Stack), relativePath);
        try
        {
            return ManifestYaml.ReadOne(text, path);
        }
        catch (ConfigException ex)
        {
            throw new InfraException($"{ex.Message} It is not a valid manifest: fix or delete the file.", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new InfraException($"'{path}' is not a valid manifest: {ex.Message}; fix or delete the file.", ex);
        }
    }

    /// <summary>Removes manifest files; removing a missing file succeeds.</summary>
    public Task DeleteAsync(IEnumerable<string> relativePaths, CancellationToken cancellationToken) =>
        Repository.ChangeAsync(Stack, folder =>
        {
            foreach (var path in relativePaths)
            {
                folder.Delete(path);
            }

            return Task.FromResult(true);
        }, cancellationToken);

    private static bool SameObject(string existing, PropertyMap manifest, Func<PropertyMap, PropertyMap, bool>? sameObject)
    {
        try
        {
            var parsed = ManifestYaml.ReadOne(existing, "an existing manifest");
            return sameObject is null ? parsed.Equals(manifest) : sameObject(parsed, manifest);
        }
        catch (Exception ex) when (ex is ConfigException or InvalidDataException)
        {
            return false;
        }
    }
}
