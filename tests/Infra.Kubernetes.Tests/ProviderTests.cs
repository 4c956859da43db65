using Infra.Providers;
using Infra.Providers.Kubernetes;
using Infra.Values;

namespace Infra.Kubernetes.Tests;

public sealed class ProviderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "infra-k8s-provider-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static PropertyMap Config(params (string Key, string Value)[] entries) =>
        PropertyMap.Create(entries.Select(static e => KeyValuePair.Create(e.Key, PropertyValue.Create(e.Value))));

    [Fact]
    public void Mode_is_gitops_unless_set_to_cluster_and_a_kubeconfig_alone_never_selects_a_cluster()
    {
        Directory.CreateDirectory(_directory);
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\n");

        var plain = KubernetesSettings.FromConfig(PropertyMap.Empty, _directory, new Dictionary<string, string?>());
        var fromEnvironment = KubernetesSettings.FromConfig(PropertyMap.Empty, _directory, new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig });
        var cluster = KubernetesSettings.FromConfig(Config(("mode", "cluster")), _directory, new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig });

        Assert.Equal(KubernetesMode.GitOps, plain.Mode);
        Assert.Equal(Path.Combine(_directory, ".gitops"), plain.GitOpsPath);
        Assert.Equal(KubernetesMode.GitOps, fromEnvironment.Mode);
        Assert.Equal(KubernetesMode.Cluster, cluster.Mode);
        Assert.Equal(kubeconfig, cluster.Kubeconfig);
        Assert.StartsWith("cluster, kubeconfig " + kubeconfig, cluster.Describe("acme"), StringComparison.Ordinal);
        Assert.Equal($"gitops, {Path.Combine(_directory, ".gitops", "acme")} (local commits only)", plain.Describe("acme"));
        var error = Assert.Throws<InfraException>(() => KubernetesSettings.FromConfig(Config(("mode", "argo")), _directory, new Dictionary<string, string?>()));
        Assert.Contains("kubernetes:mode", error.Message);
    }

    [Fact]
    public async Task Read_without_an_id_finds_an_object_by_its_deterministic_path()
    {
        var context = new ProviderContext("tenant-acme", "platform", _directory, Config(("gitopsPath", "gitops")), IsPreview: false);
        var provider = (KubernetesProvider)new KubernetesProviderFactory(new Dictionary<string, string?>()).Create(context);
        var manifest = PropertyJson.ParseMap(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"branding","namespace":"tenant-acme"},"data":{"a":"b"}}""", PropertyJsonMode.Plaintext);
        const string urn = "urn:infra:tenant-acme::platform::kubernetes:index:Object::branding";

        Assert.Equal(ReadStatus.NotFound, (await provider.ReadAsync(new ReadRequest(urn, KubernetesProvider.ObjectType, null, manifest, null), default)).Status);
        var created = await provider.CreateAsync(new CreateRequest(urn, KubernetesProvider.ObjectType, manifest, null, Preview: false), default);
        var read = await provider.ReadAsync(new ReadRequest(urn, KubernetesProvider.ObjectType, null, manifest, null), default);

        Assert.Equal("tenant-acme/configmap-branding.yaml", created.Id);
        Assert.Equal(ReadStatus.Found, read.Status);
        Assert.Equal(created.Id, read.Id);
        Assert.Equal(manifest, read.Inputs);
        Assert.Equal(ReadStatus.Indeterminate, (await provider.ReadAsync(new ReadRequest(urn, KubernetesProvider.ObjectType, null, null, null), default)).Status);
    }
}
