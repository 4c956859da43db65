namespace Infra.TestSupport;

/// <summary>
/// What a tenant stack's Kubernetes part needs in a test or benchmark project: GitOps mode whatever KUBECONFIG says,
/// the pinned helm (a project outside the repository cannot find .tools/bin by itself) and a Sealed Secrets
/// certificate, made once by scripts/demo-sealing-cert.sh exactly as the demo does.
/// </summary>
public static class TenantKubernetesConfig
{
    private static readonly Lazy<string> s_certificate = new(CreateCertificate);

    /// <summary>The certificate's path (its key is beside it, as tls.key).</summary>
    public static string SealingCertificate => s_certificate.Value;

    /// <summary>The config keys and values a tenant stack needs for its Kubernetes part.</summary>
    public static (string Key, string Value)[] Config =>
        [("kubernetes:mode", "gitops"), ("helm:binary", RepositoryTools.Helm), ("kubernetes:sealedSecretsCert", SealingCertificate)];

    private static string CreateCertificate()
    {
        var script = Path.Combine(RepositoryTools.Root, "scripts", "demo-sealing-cert.sh");
        var result = RepositoryTools.RunAsync("bash", RepositoryTools.Root, script).GetAwaiter().GetResult();
        return result.ExitCode == 0
            ? result.Output.Trim()
            : throw new InvalidOperationException($"scripts/demo-sealing-cert.sh failed: {result.Error}");
    }
}
