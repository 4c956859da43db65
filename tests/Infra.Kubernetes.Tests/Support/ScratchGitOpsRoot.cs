namespace Infra.Kubernetes.Tests.Support;

/// <summary>
/// A GitOps repository root of its own under the system's temporary folder, for tests that drive the repository
/// directly rather than through a project; disposing it removes the root's parent folder and everything in it.
/// </summary>
public sealed class ScratchGitOpsRoot : IDisposable
{
    private readonly string _parent = Path.Combine(Path.GetTempPath(), "infra-k8s-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The repository's root (not created: the repository makes it on its first write).</summary>
    public string Root => Path.Combine(_parent, "gitops");

    public void Dispose()
    {
        if (Directory.Exists(_parent))
        {
            Directory.Delete(_parent, recursive: true);
        }
    }
}
