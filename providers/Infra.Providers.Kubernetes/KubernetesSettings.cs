using Infra.Values;

namespace Infra.Providers.Kubernetes;

/// <summary>Where manifests go: a GitOps work tree (rendered manifests) or a live cluster.</summary>
public enum KubernetesMode
{
    /// <summary>Write manifests into a git work tree for Flux or Argo CD to apply; one commit per update.</summary>
    GitOps,

    /// <summary>Apply to the cluster of a kubeconfig with server-side apply.</summary>
    Cluster,
}

/// <summary>
/// The kubernetes provider's settings, from the stack's <c>kubernetes:*</c> config:
/// <list type="table">
/// <item><term><c>kubernetes:mode</c></term><description><c>gitops</c> (the default) or <c>cluster</c>. Cluster mode is
/// only ever chosen here: a kubeconfig on the machine (<c>KUBECONFIG</c>) never switches a stack to a live cluster.</description></item>
/// <item><term><c>kubernetes:gitopsPath</c></term><description>The root of the GitOps git work tree, relative to the
/// project folder; default <c>.gitops</c>. It is <c>git init</c>-ed (branch <c>main</c>) when it has no <c>.git</c>.</description></item>
/// <item><term><c>kubernetes:gitopsRemote</c></term><description>A git remote (URL or path) that <c>up</c> pushes to after
/// its commit; unset keeps commits local.</description></item>
/// <item><term><c>kubernetes:gitopsBranch</c></term><description>The remote branch pushed to; default the work tree's
/// current branch.</description></item>
/// <item><term><c>kubernetes:kubeconfig</c></term><description>The kubeconfig file for cluster mode; default the first
/// file of <c>KUBECONFIG</c>.</description></item>
/// <item><term><c>kubernetes:context</c></term><description>The kubeconfig context; default its current one.</description></item>
/// <item><term><c>kubernetes:namespace</c></term><description>The namespace of namespaced objects that name none;
/// default <c>default</c>.</description></item>
/// <item><term><c>kubernetes:sealedSecretsCert</c></term><description>The Sealed Secrets controller's PEM certificate
/// (the text, or a path to it), needed for secrets in GitOps mode.</description></item>
/// </list>
/// </summary>
/// <param name="Mode">GitOps or cluster.</param>
/// <param name="GitOpsPath">The absolute path of the GitOps work tree.</param>
/// <param name="Kubeconfig">The kubeconfig path, in cluster mode.</param>
/// <param name="Context">The kubeconfig context, if not the current one.</param>
/// <param name="DefaultNamespace">The namespace for namespaced objects that name none.</param>
/// <param name="SealedSecretsCertificate">The Sealed Secrets certificate (PEM text), if configured.</param>
public sealed partial record KubernetesSettings(
    KubernetesMode Mode, string GitOpsPath, string? Kubeconfig, string? Context, string DefaultNamespace, string? SealedSecretsCertificate)
{
    /// <summary>The config namespace.</summary>
    public const string ConfigNamespace = "kubernetes";

    /// <summary>The default GitOps work tree, relative to the project folder.</summary>
    public const string DefaultGitOpsPath = ".gitops";

    /// <summary>The remote that <c>up</c> pushes GitOps commits to, if any (GitOps mode).</summary>
    public string? GitOpsRemote { get; init; }

    /// <summary>The remote branch pushed to; <see langword="null"/> means the work tree's current branch.</summary>
    public string? GitOpsBranch { get; init; }

    /// <summary>Where this target writes, for a preview header: <c>gitops .gitops/acme → origin main</c> or <c>cluster (context)</c>.</summary>
    public string Describe(string stack) => Mode == KubernetesMode.Cluster
        ? $"cluster, kubeconfig {Kubeconfig}{(Context is null ? string.Empty : $", context {Context}")}"
        : $"gitops, {Path.Combine(GitOpsPath, stack)}{(GitOpsRemote is null ? " (local commits only)" : $", pushed to {GitOpsRemote} {GitOpsBranch ?? "(current branch)"}")}";

    /// <summary>Reads the settings from a provider config bag.</summary>
    /// <param name="config">The <c>kubernetes:*</c> config without the prefix.</param>
    /// <param name="projectDirectory">Relative paths are resolved against this folder.</param>
    /// <param name="environment">Environment variables (for <c>KUBECONFIG</c>).</param>
    /// <exception cref="InfraException">A value is invalid; the message names the key.</exception>
    public static KubernetesSettings FromConfig(PropertyMap config, string projectDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string key) => config.GetString(key) is { Length: > 0 } value ? value.Trim() : null;
        string Resolve(string path) => Path.GetFullPath(Path.Combine(projectDirectory, path));

        var kubeconfig = Get("kubeconfig") is { } fromConfig
            ? Resolve(fromConfig)
            : environment.GetValueOrDefault("KUBECONFIG") is { Length: > 0 } fromEnvironment
                ? fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0]
                : null;
        var mode = Get("mode")?.ToLowerInvariant() switch
        {
            null => KubernetesMode.GitOps,
            "gitops" => KubernetesMode.GitOps,
            "cluster" => KubernetesMode.Cluster,
            var other => throw new InfraException($"config 'kubernetes:mode' is {ErrorText.Quote(other)}; use 'gitops' or 'cluster'."),
        };
        if (mode == KubernetesMode.Cluster && kubeconfig is null)
        {
            throw new InfraException("config 'kubernetes:mode' is 'cluster' but no kubeconfig is set; set 'kubernetes:kubeconfig' or KUBECONFIG.");
        }

        if (mode == KubernetesMode.Cluster && !File.Exists(kubeconfig))
        {
            throw new InfraException($"the kubeconfig {ErrorText.Quote(kubeconfig)} does not exist; fix 'kubernetes:kubeconfig' or KUBECONFIG.");
        }

        // A bad certificate is not the provider's problem but the Secret's: only sealing needs it, so only the Secret
        // is blamed (in its check), and every other object still plans and applies.
        var (certificate, certificateProblem) = Get("sealedSecretsCert") is { } configured
            ? ReadCertificate(configured, projectDirectory)
            : (null, null);

        var branch = Get("gitopsBranch");
        if (branch is not null && !GitBranch().IsMatch(branch))
        {
            throw new InfraException($"config 'kubernetes:gitopsBranch' is {ErrorText.Quote(branch)}, which is not a branch name such as main or clusters/prod.");
        }

        var remote = Get("gitopsRemote");
        if (remote is not null && (remote.StartsWith('-') || remote.Any(char.IsControl)))
        {
            throw new InfraException($"config 'kubernetes:gitopsRemote' is {ErrorText.Quote(remote)}, which is not a git URL or path.");
        }

        return new KubernetesSettings(mode, Resolve(Get("gitopsPath") ?? DefaultGitOpsPath), kubeconfig, Get("context"),
            Get("namespace") ?? "default", certificate)
        {
            SealedSecretsCertificateProblem = certificateProblem,
            GitOpsRemote = remote,
            GitOpsBranch = branch,
        };
    }

    /// <summary>Why <c>kubernetes:sealedSecretsCert</c> cannot be used, when it is set but unusable; the Secret's check reports it.</summary>
    public string? SealedSecretsCertificateProblem { get; init; }

    /// <summary>
    /// What is wrong with a <c>kubernetes:sealedSecretsCert</c> value (PEM text, or a file relative to
    /// <paramref name="projectDirectory"/> holding it), or <see langword="null"/>.
    /// </summary>
    public static string? CertificateProblem(string value, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ReadCertificate(value.Trim(), projectDirectory).Problem;
    }

    private static (string? Pem, string? Problem) ReadCertificate(string value, string projectDirectory)
    {
        var pem = value;
        if (!value.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(Path.Combine(projectDirectory, value));
            if (!File.Exists(path))
            {
                return (null, $"is neither a PEM certificate nor an existing file ({ErrorText.Quote(path)}).");
            }

            pem = File.ReadAllText(path);
        }

        return Secrets.SealedSecretSealer.CertificateProblem(pem) is { } problem ? (null, problem) : (pem, null);
    }

    // A conservative subset of git's ref rules: no leading '-' or '/', no '..', no spaces or control characters.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?!-)(?!.*\.\.)(?!/)[A-Za-z0-9._/-]{1,200}(?<![/.])\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex GitBranch();
}
