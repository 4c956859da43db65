using System.Diagnostics;
using Infra.TestSupport;

namespace Infra.Bench.Tenants;

/// <summary>
/// What a tenant stack's Kubernetes part needs in a benchmark project: GitOps mode (whatever KUBECONFIG says), the
/// repository's pinned helm, and the local Sealed Secrets certificate of scripts/demo-sealing-cert.sh.
/// </summary>
internal static class KubernetesTarget
{
    public static string Helm => Path.Combine(RepositoryPaths.Root, ".tools", "bin", "helm");

    public static async Task<(string Key, string Value)[]> PrepareAsync()
    {
        await RunAsync(Path.Combine(RepositoryPaths.Root, "scripts", "install-k8s-tools.sh"));
        var certificate = (await RunAsync(Path.Combine(RepositoryPaths.Root, "scripts", "demo-sealing-cert.sh"))).Trim();
        return [("kubernetes:mode", "gitops"), ("helm:binary", Helm), ("kubernetes:sealedSecretsCert", certificate)];
    }

    /// <summary>Runs a program; returns its standard output, or throws with its error output.</summary>
    public static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{file} failed: {await error}");
    }
}
