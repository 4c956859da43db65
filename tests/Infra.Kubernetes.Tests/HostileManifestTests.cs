using Infra.Automation;
using Infra.Configuration;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Kubernetes;
using Infra.Providers.Kubernetes.Manifests;
using static Infra.Kubernetes.Tests.Support.Manifests;

namespace Infra.Kubernetes.Tests;

/// <summary>A manifest file in the GitOps tree is anyone's to edit: read back, it is held to the engine's YAML limits.</summary>
public class HostileManifestTests
{
    private const string AliasBomb = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: web, namespace: tenant-acme}
        a: &a [x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        data: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
        """;

    private static readonly string s_nested = "apiVersion: v1\nkind: ConfigMap\ndata: " + new string('[', 50_000) + new string(']', 50_000) + "\n";

    private static StackProgram Program() => StackProgram.FromDelegate(static ctx =>
    {
        _ = new KubernetesObject("web", new KubernetesObjectArgs { Manifest = DeploymentManifest("web", "tenant-acme", 2) });
    });

    [Theory]
    [InlineData("alias")]
    [InlineData("nested")]
    [InlineData("complex key")]
    public void A_hostile_manifest_is_refused_naming_its_source(string attack)
    {
        var yaml = attack switch
        {
            "alias" => AliasBomb,
            "nested" => s_nested,
            _ => "apiVersion: v1\nkind: ConfigMap\n? [a]\n: b\n",
        };

        var error = Assert.Throws<ConfigException>(() => ManifestYaml.ReadOne(yaml, "tenant-acme/configmap-web.yaml"));

        Assert.StartsWith("tenant-acme/configmap-web.yaml: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("alias", "alias '*a' is not allowed")]
    [InlineData("nested", "nesting deeper than 64 levels")]
    [InlineData("large", "larger than 1 MiB")]
    public async Task A_hostile_edit_in_the_gitops_tree_fails_refresh_in_one_line_naming_the_file(string attack, string limit)
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program() });
        var path = Path.Combine(project.StackFolder("tenant-acme"), "tenant-acme", "deployment-web.yaml");
        await File.WriteAllTextAsync(path, attack switch
        {
            "alias" => AliasBomb,
            "nested" => s_nested,
            _ => "apiVersion: v1\nkind: ConfigMap\ndata:\n  big: " + new string('x', 2 * SafeYaml.MaxFileBytes) + "\n",
        });

        var error = await Assert.ThrowsAnyAsync<InfraException>(() => stack.RefreshAsync());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(limit, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 1000, error.Message);
    }
}
