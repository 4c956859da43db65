namespace Infra.Kubernetes.Tests.Support;

/// <summary>A test that needs a real Kubernetes API server; skipped, saying why, when KUBECONFIG is unset.</summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBECONFIG")))
        {
            Skip = "needs a Kubernetes cluster: set KUBECONFIG to a kubeconfig whose current context may create namespaces (no API server runs on our build machines).";
        }
    }
}
