using Infra.Automation;
using Infra.Components.Kubernetes;
using Infra.Deployment;
using Infra.Kubernetes.Tests.Support;
using Infra.Values;
using static Infra.Kubernetes.Tests.Support.ObjectAssertions;

namespace Infra.Kubernetes.Tests;

public class TenantNamespaceTests
{
    private static readonly NamespaceSize s_standard = new()
    {
        Tier = "standard", Priority = 1000, RequestsCpu = "2", RequestsMemory = "4Gi", LimitsCpu = "4", LimitsMemory = "8Gi", Storage = "20Gi",
        Pods = 20, Services = 10, PersistentVolumeClaims = 5, DefaultCpu = "500m", DefaultMemory = "512Mi", DefaultRequestCpu = "100m",
        DefaultRequestMemory = "128Mi", MaxCpu = "2", MaxMemory = "2Gi",
    };

    private static readonly NamespaceSize s_enterprise = s_standard with
    {
        Tier = "enterprise", Priority = 100000, RequestsCpu = "16", RequestsMemory = "32Gi", LimitsCpu = "32", LimitsMemory = "64Gi", Storage = "500Gi",
        Pods = 200, MaxCpu = "8", MaxMemory = "16Gi",
    };

    private static StackProgram Program(NamespaceSize plan) => StackProgram.FromDelegate(ctx =>
    {
        var tenant = new TenantNamespace("acme", new TenantNamespaceArgs
        {
            TenantId = "acme",
            Size = plan,
            AdminGroup = "acme-admins",
            DatabaseCidr = "10.20.0.15/32",
        });
        ctx.Export("namespace", tenant.NamespaceName);
    });

    [Fact]
    public async Task Tenant_namespace_is_isolated_sized_by_its_plan_and_builds_with_kustomize()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");

        var up = await stack.UpAsync(new UpOptions { Program = Program(s_standard) });

        Assert.Equal("tenant-acme", (await stack.GetOutputsAsync()).GetString("namespace"));
        var objects = await KustomizeBuild.BuildAsync(project.StackFolder("tenant-acme"));
        Assert.Equal(up.Summary[StepOp.Create] - 1, objects.Length); // every child but the component itself
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);

        var labels = Field(Single(objects, "Namespace"), "metadata.labels").AsObject;
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            Assert.Equal("restricted", labels.GetString($"pod-security.kubernetes.io/{mode}"));
            Assert.Equal("v1.34", labels.GetString($"pod-security.kubernetes.io/{mode}-version"));
        }

        var hard = Field(Single(objects, "ResourceQuota"), "spec.hard").AsObject;
        Assert.Equal(
            ["limits.cpu", "limits.memory", "persistentvolumeclaims", "pods", "requests.cpu", "requests.memory", "requests.storage", "services"],
            hard.Keys.Order(StringComparer.Ordinal));
        var container = Field(Single(objects, "LimitRange"), "spec.limits[0]").AsObject;
        Assert.Equal("500m", Field(container, "default.cpu").AsString);
        Assert.Equal("100m", Field(container, "defaultRequest.cpu").AsString);
        Assert.Equal("2Gi", Field(container, "max.memory").AsString);
        Assert.False(Single(objects, "ServiceAccount")["automountServiceAccountToken"].AsBool);
        Assert.Equal("acme-admins", Field(Single(objects, "RoleBinding"), "subjects[0].name").AsString);
        // The tier's PriorityClass is the platform stack's: the tenant's folder names it and carries no copy.
        Assert.DoesNotContain(objects, static o => o.GetString("kind") == "PriorityClass");

        var policies = objects.Where(static o => o.GetString("kind") == "NetworkPolicy").ToDictionary(NameOf);
        Assert.Equal(["allow-database", "allow-dns", "allow-ingress-controller", "allow-monitoring-scrape", "allow-tracing", "default-deny"], policies.Keys.Order(StringComparer.Ordinal));
        var deny = policies["default-deny"]["spec"].AsObject;
        Assert.Equal(["Ingress", "Egress"], deny["policyTypes"].AsArray.Select(static p => p.AsString));
        Assert.False(deny.ContainsKey("ingress") || deny.ContainsKey("egress"));
        Assert.Equal("10.20.0.15/32", Field(policies["allow-database"], "spec.egress[0].to[0].ipBlock.cidr").AsString);
        // Traces go to the collector's pods in the tracing namespace, on the OTLP ports only (not to Tempo beside it).
        var tracing = Field(policies["allow-tracing"], "spec.egress[0]").AsObject;
        Assert.Equal("tracing", Field(tracing, "to[0].namespaceSelector.matchLabels").AsObject["kubernetes.io/metadata.name"].AsString);
        Assert.Equal("opentelemetry-collector", Field(tracing, "to[0].podSelector.matchLabels").AsObject["app.kubernetes.io/component"].AsString);
        Assert.Equal([4317, 4318], tracing["ports"].AsArray.Select(static p => (int)p.AsObject["port"].AsNumber));
        Assert.Equal(["Egress"], Field(policies["allow-tracing"], "spec.policyTypes").AsArray.Select(static p => p.AsString));
        // Peers are only DNS, the ingress controller, monitoring, tracing and the database: never another tenant's namespace.
        var peerNamespaces = policies.Values.SelectMany(static p => NamespacesIn(PropertyValue.Create(p))).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["ingress-nginx", "kube-system", "monitoring", "tracing"], peerNamespaces);
    }

    [Fact]
    public async Task Changing_the_plan_changes_only_the_quota_and_limits_and_the_folder_holds_no_cluster_wide_copy()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program(s_standard) });

        var preview = await stack.PreviewAsync(new PreviewOptions { Program = Program(s_enterprise) });

        var changed = preview.Plan.Steps.Where(static s => s.Op != StepOp.Same).Select(static s => s.Urn.Split("::")[^1]).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["acme-limits", "acme-quota"], changed);
        await stack.UpAsync(new UpOptions { Program = Program(s_enterprise) });
        var files = Directory.EnumerateFiles(Path.Combine(project.StackFolder("tenant-acme"), "_cluster")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["namespace-tenant-acme.yaml"], files);
    }

    private static IEnumerable<string> NamespacesIn(PropertyValue value)
    {
        switch (value.Kind)
        {
            case PropertyValueKind.Object:
                foreach (var (key, item) in value.AsObject)
                {
                    if (key == "namespaceSelector")
                    {
                        yield return Field(item.AsObject, "matchLabels").AsObject.GetString("kubernetes.io/metadata.name")!;
                    }

                    foreach (var inner in NamespacesIn(item))
                    {
                        yield return inner;
                    }
                }

                break;
            case PropertyValueKind.Array:
                foreach (var inner in value.AsArray.SelectMany(NamespacesIn))
                {
                    yield return inner;
                }

                break;
        }
    }
}
