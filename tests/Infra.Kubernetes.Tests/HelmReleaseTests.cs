using Infra.Automation;
using Infra.Deployment;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Helm;
using Infra.Providers.Kubernetes;
using Infra.Providers.Kubernetes.Manifests;
using static Infra.Kubernetes.Tests.Support.Manifests;
using static Infra.Kubernetes.Tests.Support.ObjectAssertions;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests;

public sealed class HelmReleaseTests : IDisposable
{
    private readonly SealedSecretsKeys _keys = new();

    public void Dispose() => _keys.Dispose();

    /// <summary>A tenant: its namespace, database credentials as a sealed secret, and its release of the platform chart.</summary>
    private static StackProgram TenantProgram(string primaryColor = "#0055ff", bool withRelease = true) => StackProgram.FromDelegate(ctx =>
    {
        _ = new KubernetesObject("ns", new KubernetesObjectArgs { Manifest = NamespaceManifest("tenant-acme") });
        var credentials = new KubernetesSecret("db", new KubernetesSecretArgs
        {
            Name = "tenant-db",
            Namespace = "tenant-acme",
            StringData = new InputMap<string> { ["host"] = "db", ["port"] = "5432", ["database"] = "acme", ["username"] = "acme", ["password"] = Output.CreateSecret("s3cret-db-password") },
        });
        if (!withRelease)
        {
            return;
        }

        var release = new HelmRelease("app", new HelmReleaseArgs
        {
            Name = "acme",
            Namespace = "tenant-acme",
            Chart = RepositoryTools.PlatformChart,
            Values = Map(
                ("tenant", Map(("id", "acme"), ("displayName", "Acme Corp"))),
                ("branding", Map(("primaryColor", primaryColor), ("logoUrl", "https://cdn.acme.example/logo.svg"))),
                ("customDomain", "portal.acme.example"),
                ("featureFlags", Map(("sso", true), ("auditLog", false))),
                ("database", Map(("existingSecret", credentials.SecretName), ("keys", Map(("host", "host"), ("port", "port"), ("database", "database"), ("username", "username"), ("password", "password")))))),
        });
        ctx.Export("files", release.Files);
    });

    [Fact]
    public async Task Local_chart_is_rendered_with_helm_into_the_gitops_folder_and_kustomize_builds_it()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme", _keys.CertificatePem);

        var result = await stack.UpAsync(new UpOptions { Program = TenantProgram() });

        Assert.Equal(3, result.Summary[StepOp.Create]);
        var folder = project.StackFolder("tenant-acme");
        foreach (var file in new[] { "deployment-acme.yaml", "service-acme.yaml", "ingress-acme.yaml", "poddisruptionbudget-acme.yaml", "configmap-acme-tenant.yaml" })
        {
            Assert.True(File.Exists(Path.Combine(folder, "tenant-acme", file)), file);
        }

        var objects = await KustomizeBuild.BuildAsync(folder);
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);
        var deployment = Single(objects, "Deployment");
        AssertRestrictedPodSecurity(deployment);
        Assert.Equal("tenant-acme", ManifestValues.Metadata(deployment)!.GetString("namespace"));
        Assert.Equal("portal.acme.example", Field(Single(objects, "Ingress"), "spec.rules[0].host").AsString);
        Assert.Contains("Acme Corp", Field(Single(objects, "ConfigMap"), "data").AsObject.GetString("tenant.json"));
        Assert.Single(await project.CommitSubjectsAsync());
        await SecretScan.AssertNowhereAsync(project.GitOpsPath, "s3cret-db-password");
    }

    [Fact]
    public async Task Changing_a_value_plans_an_update_of_exactly_the_rendered_objects_it_touches()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme", _keys.CertificatePem);
        await stack.UpAsync(new UpOptions { Program = TenantProgram() });
        var service = await File.ReadAllTextAsync(Path.Combine(project.StackFolder("tenant-acme"), "tenant-acme", "service-acme.yaml"));

        var preview = await stack.PreviewAsync(new PreviewOptions { Program = TenantProgram(primaryColor: "#ff6600") });

        var step = Assert.Single(preview.Plan.Steps, s => s.Op == StepOp.Update);
        Assert.Equal(HelmProvider.ReleaseType, step.Type);
        // The colour lands in the tenant ConfigMap, and its checksum rolls the Deployment's pods; nothing else moves.
        var touched = step.Changed.Where(static c => c.StartsWith("manifests", StringComparison.Ordinal)).Select(static c => c.Split('.')[0]).Distinct().ToList();
        var manifests = (await stack.GetSnapshotAsync()).Resources.Single(r => r.Type == HelmProvider.ReleaseType).Inputs["manifests"].AsArray;
        Assert.Equal(["ConfigMap", "Deployment"], touched.Select(t => manifests[int.Parse(t[10..^1], System.Globalization.CultureInfo.InvariantCulture)].AsObject.GetString("kind")).Order());
        Assert.Contains("values.branding.primaryColor", step.Changed);

        await stack.UpAsync(new UpOptions { Program = TenantProgram(primaryColor: "#ff6600") });
        Assert.Contains("#ff6600", await File.ReadAllTextAsync(Path.Combine(project.StackFolder("tenant-acme"), "tenant-acme", "configmap-acme-tenant.yaml")));
        Assert.Equal(service, await File.ReadAllTextAsync(Path.Combine(project.StackFolder("tenant-acme"), "tenant-acme", "service-acme.yaml")));
    }

    [Fact]
    public async Task Updating_a_release_rewrites_only_the_files_of_the_objects_that_changed()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme", _keys.CertificatePem);
        await stack.UpAsync(new UpOptions { Program = TenantProgram() });
        var folder = Path.Combine(project.StackFolder("tenant-acme"), "tenant-acme");
        var before = await InodesAsync(folder);

        await stack.UpAsync(new UpOptions { Program = TenantProgram(primaryColor: "#ff6600") });

        // A file written again is a new file renamed over the old one (a new inode); one left alone keeps its inode.
        var after = await InodesAsync(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.Equal(["configmap-acme-tenant.yaml", "deployment-acme.yaml"], after.Where(file => before[file.Key] != file.Value).Select(static file => file.Key).Order());
        Assert.Contains("#ff6600", await File.ReadAllTextAsync(Path.Combine(folder, "configmap-acme-tenant.yaml")));
    }

    private static async Task<Dictionary<string, string>> InodesAsync(string folder)
    {
        var stat = await RepositoryTools.RunAsync("stat", folder, ["--format=%n %i", .. Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>()]);
        Assert.Equal(0, stat.ExitCode);
        return stat.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static line => line.Split(' ')).ToDictionary(static f => f[0], static f => f[1]);
    }

    [Fact]
    public async Task Repository_chart_becomes_a_flux_HelmRepository_and_HelmRelease_with_remediation_and_drift_detection()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");

        await stack.UpAsync(new UpOptions
        {
            Program = StackProgram.FromDelegate(ctx => _ = new HelmRelease("cache", new HelmReleaseArgs
            {
                Name = "cache",
                Namespace = "tenant-acme",
                Chart = "valkey",
                Version = "2.4.1",
                RepositoryUrl = "https://charts.example.com/stable",
                Values = Map(("replicas", 2), ("auth", Map(("existingSecret", "cache-auth")))),
            })),
        });

        var objects = await KustomizeBuild.BuildAsync(project.StackFolder("tenant-acme"));
        var repository = Single(objects, "HelmRepository");
        Assert.Equal("source.toolkit.fluxcd.io/v1", repository.GetString("apiVersion"));
        Assert.Equal("https://charts.example.com/stable", Field(repository, "spec.url").AsString);
        var release = Single(objects, "HelmRelease");
        Assert.Equal("helm.toolkit.fluxcd.io/v2", release.GetString("apiVersion"));
        Assert.Equal("valkey", Field(release, "spec.chart.spec.chart").AsString);
        Assert.Equal("2.4.1", Field(release, "spec.chart.spec.version").AsString);
        Assert.Equal("HelmRepository", Field(release, "spec.chart.spec.sourceRef.kind").AsString);
        Assert.Equal(2, Field(release, "spec.values.replicas").AsNumber);
        Assert.Equal(3, Field(release, "spec.install.remediation.retries").AsNumber);
        Assert.Equal(3, Field(release, "spec.upgrade.remediation.retries").AsNumber);
        Assert.Equal("rollback", Field(release, "spec.upgrade.remediation.strategy").AsString);
        Assert.Equal("enabled", Field(release, "spec.driftDetection.mode").AsString);
    }

    [Fact]
    public async Task Values_the_chart_schema_refuses_fail_the_preview_with_helms_reason()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme", _keys.CertificatePem);

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => stack.PreviewAsync(new PreviewOptions { Program = TenantProgram(primaryColor: "blue") }));

        Assert.Contains("/branding/primaryColor", error.Message);
        Assert.DoesNotContain('\n', error.Message.Trim());
    }

    [Fact]
    public async Task Secret_values_are_refused_in_gitops_mode()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => stack.PreviewAsync(new PreviewOptions
        {
            Program = StackProgram.FromDelegate(ctx => _ = new HelmRelease("cache", new HelmReleaseArgs
            {
                Name = "cache", Namespace = "tenant-acme", Chart = "valkey", Version = "2.4.1", RepositoryUrl = "oci://registry.example.com/charts",
                Values = Map(("auth", Map(("password", Output.CreateSecret("do-not-leak"))))),
            })),
        }));

        Assert.Contains("values.auth.password", error.Message);
        Assert.DoesNotContain("do-not-leak", error.Message);
    }

    [Fact]
    public async Task Hand_edited_rendered_object_shows_as_drift_and_deleting_the_release_removes_its_files()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme", _keys.CertificatePem);
        await stack.UpAsync(new UpOptions { Program = TenantProgram() });
        var service = Path.Combine(project.StackFolder("tenant-acme"), "tenant-acme", "service-acme.yaml");
        var declared = await File.ReadAllTextAsync(service);
        await File.WriteAllTextAsync(service, declared.Replace("port: 80", "port: 81", StringComparison.Ordinal));

        var refresh = await stack.RefreshAsync();
        Assert.Contains(refresh.Steps, s => s.Type == HelmProvider.ReleaseType && s.Reason == "drift");
        await stack.UpAsync(new UpOptions { Program = TenantProgram() });
        Assert.Equal(declared, await File.ReadAllTextAsync(service));

        var removed = await stack.UpAsync(new UpOptions { Program = TenantProgram(withRelease: false) });
        Assert.Equal(1, removed.Summary[StepOp.Delete]);
        var left = Directory.EnumerateFiles(project.StackFolder("tenant-acme"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(project.StackFolder("tenant-acme"), f)).Order(StringComparer.Ordinal);
        Assert.Equal(["_cluster/namespace-tenant-acme.yaml", "kustomization.yaml", "tenant-acme/sealedsecret-tenant-db.yaml"], left);
    }
}
