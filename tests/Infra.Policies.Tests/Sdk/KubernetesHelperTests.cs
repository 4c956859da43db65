using Infra.Policies.Kubernetes;
using Infra.Values;

namespace Infra.Policies.Tests.Sdk;

public class KubernetesHelperTests
{
    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", null, null)]
    [InlineData("nginx:1.27", "docker.io", "library/nginx", "1.27", null)]
    [InlineData("bitnami/redis:7.4", "docker.io", "bitnami/redis", "7.4", null)]
    [InlineData("GHCR.IO/acme/app:2.0@sha256:abc", "ghcr.io", "acme/app", "2.0", "sha256:abc")]
    [InlineData("localhost:5000/app", "localhost:5000", "app", null, null)]
    [InlineData("registry.k8s.io/pause:3.10", "registry.k8s.io", "pause", "3.10", null)]
    public void Image_references_split_like_the_container_runtime_reads_them(string image, string registry, string repository, string? tag, string? digest)
    {
        Assert.Equal(new ImageReference(registry, repository, tag, digest), ImageReference.Parse(image));
    }

    [Fact]
    public void Label_selectors_evaluate_match_labels_and_expressions()
    {
        var selector = LabelSelector.Parse(PropertyJson.Parse("""
            { "matchLabels": { "app": "web" }, "matchExpressions": [ { "key": "tier", "operator": "In", "values": ["frontend", "edge"] },
                                                                        { "key": "canary", "operator": "DoesNotExist" } ] }
            """, PropertyJsonMode.Plaintext))!;

        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "edge" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "backend" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "edge", ["canary"] = "1" }));
        Assert.Null(LabelSelector.Parse(PropertyValue.Unknown));
    }

    [Fact]
    public void Kubernetes_kind_selectors_match_by_the_objects_own_api_version_and_kind()
    {
        var deployment = Support.Fixture.Resource("anything:index:Manifest", "web", """{ "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "web" } }""");
        var lookalike = Support.Fixture.Resource("anything:index:Manifest", "web2", """{ "apiVersion": "example.com/v1", "kind": "Deployment", "metadata": { "name": "web" } }""");

        Assert.True(ResourceSelector.KubernetesKind("Deployment.apps").Matches(deployment));
        Assert.False(ResourceSelector.KubernetesKind("Deployment.apps").Matches(lookalike));
        Assert.True(ResourceSelector.KubernetesKind("Deployment").Matches(lookalike));
        Assert.True(ResourceSelector.KubernetesWorkloads.Matches(deployment));
        Assert.False(ResourceSelector.KubernetesWorkloads.Matches(lookalike));
        Assert.True(ResourceSelector.Type("anything:*").Matches(deployment));
    }
}
