using Infra.Automation;
using Infra.Components.Kubernetes;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers;
using Infra.Providers.Kubernetes;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Kubernetes.Tests;

/// <summary>Names match to the true end of their text: a trailing newline is not a valid last character.</summary>
public sealed class EndOfInputTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "infra-k8s-end-of-input", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("12\n")]
    [InlineData("yes\n")]
    [InlineData("0755\n")]
    [InlineData("plain text \n")]
    public void A_string_ending_in_a_newline_round_trips_as_that_string(string text)
    {
        var manifest = PropertyMap.Empty.SetItem("value", PropertyValue.Create(text));

        Assert.Equal(manifest, ManifestYaml.ReadOne(ManifestYaml.Write(manifest), "test.yaml"));
    }

    [Theory]
    [InlineData("web\n", "metadata.name")]
    [InlineData("web", "metadata.namespace")]
    public async Task An_object_or_namespace_name_with_a_trailing_newline_is_refused(string name, string field)
    {
        var provider = new KubernetesProviderFactory(new Dictionary<string, string?>())
            .Create(new ProviderContext("tenant-acme", "platform", _directory, PropertyMap.Empty, IsPreview: true));
        var ns = field == "metadata.namespace" ? "tenant-acme\n" : "tenant-acme";
        var manifest = PropertyJson.ParseMap(
            System.Text.Json.JsonSerializer.Serialize(new { apiVersion = "v1", kind = "ConfigMap", metadata = new { name, @namespace = ns } }),
            PropertyJsonMode.Plaintext);

        var check = await provider.CheckAsync(new CheckRequest("urn:infra:tenant-acme::platform::kubernetes:index:Object::web", KubernetesProvider.ObjectType, null, manifest), default);

        var failure = Assert.Single(check.Failures);
        Assert.Equal(field, failure.Property);
        Assert.Contains(@"\n'", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_id_with_a_trailing_newline_cannot_name_a_namespace()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");

        var error = await Assert.ThrowsAnyAsync<InfraException>(() => stack.PreviewAsync(new PreviewOptions
        {
            Program = StackProgram.FromDelegate(static ctx =>
            {
                var plan = new NamespaceSize
                {
                    Tier = "standard", Priority = 1000, RequestsCpu = "2", RequestsMemory = "4Gi", LimitsCpu = "4", LimitsMemory = "8Gi",
                    Storage = "20Gi", Pods = 20, Services = 10, PersistentVolumeClaims = 5, DefaultCpu = "500m", DefaultMemory = "512Mi",
                    DefaultRequestCpu = "100m", DefaultRequestMemory = "128Mi", MaxCpu = "2", MaxMemory = "2Gi",
                };
                _ = new TenantNamespace("acme", new TenantNamespaceArgs { TenantId = "acme\n", Size = plan, AdminGroup = "acme-admins", DatabaseCidr = "10.20.0.15/32" });
            }),
        }));

        Assert.Contains(@"'acme\n' is not a tenant id", error.Message, StringComparison.Ordinal);
    }
}
