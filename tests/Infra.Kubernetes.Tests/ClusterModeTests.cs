using Infra.Automation;
using Infra.Deployment;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Helm;
using Infra.Providers.Kubernetes;
using static Infra.Kubernetes.Tests.Support.Manifests;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests;

/// <summary>Cluster mode against the cluster of KUBECONFIG, in a namespace of its own that the test removes.</summary>
public class ClusterModeTests
{
    private static async Task<(Workspace Workspace, WorkspaceStack Stack, string Directory)> OpenAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "infra-k8s-cluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "Pulumi.yaml"), """
            name: platform
            runtime: dotnet
            stackConfigDir: environments
            config:
              helm:binary:
                type: string
              kubernetes:mode:
                type: string
            """);
        var environment = new Dictionary<string, string?> { ["KUBECONFIG"] = Environment.GetEnvironmentVariable("KUBECONFIG") };
        var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = directory,
            StateBackends = TestProject.StateBackends,
            Passphrase = GitOpsProject.Passphrase,
            Providers = [new KubernetesProviderFactory(environment), new HelmProviderFactory(environment)],
            Environment = new Dictionary<string, string?>(),
        });
        var stack = await workspace.CreateStackAsync("cluster");
        await stack.SetConfigAsync("helm:binary", RepositoryTools.Helm);
        // Only an explicit mode sends a stack to a cluster; KUBECONFIG then says which one.
        await stack.SetConfigAsync("kubernetes:mode", "cluster");
        return (workspace, stack, directory);
    }

    [ClusterFact]
    public async Task Objects_are_applied_server_side_read_back_and_deleted_in_the_foreground()
    {
        var (workspace, stack, _) = await OpenAsync();
        await using var _workspace = workspace;
        var ns = $"infra-test-{Guid.NewGuid():N}"[..24];
        StackProgram Program(string color) => StackProgram.FromDelegate(ctx =>
        {
            var space = new KubernetesObject("ns", new KubernetesObjectArgs { Manifest = NamespaceManifest(ns) });
            _ = new KubernetesObject("cm", new KubernetesObjectArgs { Manifest = ConfigMapManifest("branding", ns, color) }, new CustomResourceOptions { DependsOn = [space] });
        });

        try
        {
            var up = await stack.UpAsync(new UpOptions { Program = Program("#0055ff") });
            Assert.Equal(2, up.Summary[StepOp.Create]);
            var refresh = await stack.RefreshAsync();
            Assert.DoesNotContain(refresh.Steps, s => s.Op == StepOp.Forget);
            var update = await stack.UpAsync(new UpOptions { Program = Program("#ff6600") });
            Assert.Equal(1, update.Summary[StepOp.Update]);
        }
        finally
        {
            await stack.DestroyAsync();
        }

        var gone = await stack.RefreshAsync();
        Assert.Empty(gone.Steps);
    }

    [ClusterFact]
    public async Task Local_chart_is_installed_with_helm_upgrade_install_and_uninstalled()
    {
        var (workspace, stack, _) = await OpenAsync();
        await using var _workspace = workspace;
        var ns = $"infra-test-{Guid.NewGuid():N}"[..24];
        var program = StackProgram.FromDelegate(ctx => _ = new HelmRelease("app", new HelmReleaseArgs
        {
            Name = "acme",
            Namespace = ns,
            Chart = RepositoryTools.PlatformChart,
            Values = Map(("replicaCount", 1), ("ingress", Map(("enabled", false), ("className", "nginx"), ("baseDomain", "example.com"), ("tls", Map(("enabled", false)))))),
        }));
        try
        {
            // The platform image does not exist in a test cluster, so the rollout fails and helm must roll it back.
            var error = await Assert.ThrowsAsync<UpdateFailedException>(() => stack.UpAsync(new UpOptions { Program = program }));
            Assert.Contains("rolled back", error.Message);
        }
        finally
        {
            await stack.DestroyAsync();
        }
    }
}
