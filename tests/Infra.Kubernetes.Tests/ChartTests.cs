using Infra.Values;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Kubernetes.Manifests;
using static Infra.Kubernetes.Tests.Support.ObjectAssertions;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests;

public class ChartTests
{
    private static Task<(int ExitCode, string Output, string Error)> HelmAsync(params string[] arguments) =>
        RepositoryTools.RunAsync(RepositoryTools.Helm, RepositoryTools.Root, arguments);

    [Fact]
    public async Task Platform_chart_passes_helm_lint_strict()
    {
        var lint = await HelmAsync("lint", "--strict", RepositoryTools.PlatformChart);

        Assert.True(lint.ExitCode == 0, lint.Output + lint.Error);
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", lint.Output);
    }

    [Fact]
    public async Task Platform_chart_renders_strictly_valid_objects_that_meet_pod_security_restricted()
    {
        var template = await HelmAsync("template", "acme", RepositoryTools.PlatformChart, "--namespace", "tenant-acme",
            "--set", "tenant.id=acme", "--set", "customDomain=portal.acme.example", "--set", "featureFlags.sso=true");

        Assert.True(template.ExitCode == 0, template.Error);
        var objects = ManifestYaml.ReadAll(template.Output, "helm template", int.MaxValue);
        Assert.Equal(["ConfigMap", "Deployment", "Ingress", "PodDisruptionBudget", "Service", "ServiceAccount"],
            objects.Select(static o => o.GetString("kind")!).Order(StringComparer.Ordinal));
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);
        var deployment = Single(objects, "Deployment");
        AssertRestrictedPodSecurity(deployment);
        Assert.Equal(1, Field(deployment, "spec.strategy.rollingUpdate.maxSurge").AsNumber);
        Assert.Equal(0, Field(deployment, "spec.strategy.rollingUpdate.maxUnavailable").AsNumber);
        Assert.Equal("portal.acme.example", Field(Single(objects, "Ingress"), "spec.rules[0].host").AsString);
        Assert.Contains("\"sso\": true", Field(Single(objects, "ConfigMap"), "data").AsObject.GetString("tenant.json"));
        var secretRefs = Field(deployment, "spec.template.spec.containers[0].env").AsArray
            .Where(static e => e.AsObject.ContainsKey("valueFrom"))
            .Select(static e => Field(e.AsObject, "valueFrom.secretKeyRef.name").AsString);
        Assert.All(secretRefs, name => Assert.Equal("tenant-db", name));
    }

    [Fact]
    public async Task The_operators_release_renders_the_backup_runner_cronjob_strictly_valid_and_restricted_and_a_tenant_release_has_none()
    {
        var template = await HelmAsync("template", "ops", RepositoryTools.PlatformChart, "--namespace", "infra-system",
            "--set", "backupRunner.enabled=true", "--set", "backupRunner.schedule=0 2 * * *");

        Assert.True(template.ExitCode == 0, template.Error);
        var objects = ManifestYaml.ReadAll(template.Output, "helm template", int.MaxValue);
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);
        var cronJob = Single(objects, "CronJob");
        Assert.Equal("0 2 * * *", Field(cronJob, "spec.schedule").AsString);
        Assert.Equal("Forbid", Field(cronJob, "spec.concurrencyPolicy").AsString);
        Assert.Equal(["tenant", "backup", "--all"], Field(cronJob, "spec.jobTemplate.spec.template.spec.containers[0].args").AsArray.Select(static a => a.AsString));
        Assert.Equal("infra-backup-runner", Field(cronJob, "spec.jobTemplate.spec.template.spec.containers[0].envFrom[0].secretRef.name").AsString);
        Assert.False(Field(cronJob, "spec.jobTemplate.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation").AsBool);

        var tenant = await HelmAsync("template", "acme", RepositoryTools.PlatformChart, "--namespace", "tenant-acme");
        Assert.DoesNotContain("kind: CronJob", tenant.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Platform_deployment_drains_before_stopping_and_fails_a_stalled_rollout_so_flux_rolls_it_back()
    {
        var template = await HelmAsync("template", "acme", RepositoryTools.PlatformChart, "--namespace", "tenant-acme");

        Assert.True(template.ExitCode == 0, template.Error);
        var deployment = Single(ManifestYaml.ReadAll(template.Output, "helm template", int.MaxValue), "Deployment");
        Assert.Equal(240, Field(deployment, "spec.progressDeadlineSeconds").AsNumber);
        Assert.Equal(10, Field(deployment, "spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds").AsNumber);
        Assert.Equal(40, Field(deployment, "spec.template.spec.terminationGracePeriodSeconds").AsNumber);
        KustomizeBuild.AssertBuiltInsAreStrictlyValid([deployment]);
    }

    [Fact]
    public async Task Platform_chart_refuses_a_grace_period_that_would_kill_pods_during_their_prestop_delay()
    {
        var template = await HelmAsync("template", "acme", RepositoryTools.PlatformChart, "--set", "rollout.preStopDelaySeconds=40");

        Assert.NotEqual(0, template.ExitCode);
        Assert.Contains("rollout.terminationGracePeriodSeconds (40) must exceed rollout.preStopDelaySeconds (40)", template.Error);
    }

    [Fact]
    public async Task Blue_green_renders_a_rollout_with_active_and_preview_services_and_a_prometheus_pre_promotion_analysis_that_kustomize_builds_and_the_schemas_accept()
    {
        var template = await HelmAsync("template", "acme", RepositoryTools.PlatformChart, "--namespace", "tenant-acme",
            "--set", "releaseStrategy=blueGreen", "--set", "production=true", "--set", "blueGreen.autoPromotionEnabled=false");

        Assert.True(template.ExitCode == 0, template.Error);
        var objects = ManifestYaml.ReadAll(template.Output, "helm template", int.MaxValue);
        Assert.DoesNotContain(objects, static o => o.GetString("kind") == "Deployment");
        var rollout = Single(objects, "Rollout");
        Assert.Equal("acme", Field(rollout, "spec.strategy.blueGreen.activeService").AsString);
        Assert.Equal("acme-preview", Field(rollout, "spec.strategy.blueGreen.previewService").AsString);
        Assert.False(Field(rollout, "spec.strategy.blueGreen.autoPromotionEnabled").AsBool);
        Assert.Equal(120, Field(rollout, "spec.strategy.blueGreen.scaleDownDelaySeconds").AsNumber);
        Assert.Equal("true", Field(rollout, "metadata.labels").AsObject.GetString("infra.dev/production"));
        Assert.Equal(["acme", "acme-preview"], objects.Where(static o => o.GetString("kind") == "Service").Select(NameOf).Order(StringComparer.Ordinal));
        var analysis = Single(objects, "AnalysisTemplate");
        Assert.Equal("acme-preview", Field(rollout, "spec.strategy.blueGreen.prePromotionAnalysis.templates[0].templateName").AsString);
        Assert.Equal("acme-preview", NameOf(analysis));
        var metrics = Field(analysis, "spec.metrics").AsArray.Select(static m => m.AsObject).ToList();
        Assert.Equal(["success-rate", "p95-latency"], metrics.Select(static m => m.GetString("name")));
        Assert.Contains("rollouts_pod_template_hash=\"{{args.preview-hash}}\"", Field(metrics[0], "provider.prometheus.query").AsString, StringComparison.Ordinal);
        Assert.StartsWith("histogram_quantile(0.95,", Field(metrics[1], "provider.prometheus.query").AsString, StringComparison.Ordinal);
        Assert.Equal("len(result) > 0 && result[0] <= 0.5", metrics[1].GetString("successCondition"));
        AssertRestrictedPodSecurity(rollout);
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects.Where(static o => !o.GetString("apiVersion")!.StartsWith("argoproj.io/", StringComparison.Ordinal)));
        await ArgoRolloutsSchema.AssertValidAsync(objects);
        await AssertKustomizeBuildsAsync(objects);
    }

    [Fact]
    public async Task Argo_schema_check_refuses_a_rollout_with_a_mistyped_field_or_an_unknown_pod_field()
    {
        var template = await HelmAsync("template", "acme", RepositoryTools.PlatformChart, "--set", "releaseStrategy=blueGreen");
        var rollout = Single(ManifestYaml.ReadAll(template.Output, "helm template", int.MaxValue), "Rollout");
        var mistyped = PropertyPath.Parse("spec.strategy.blueGreen.autoPromotionEnabled").Set(rollout, PropertyValue.Create("no"));
        var unknownPodField = PropertyPath.Parse("spec.template.spec.hostNetwrk").Set(rollout, PropertyValue.True);

        var typeError = await Assert.ThrowsAnyAsync<Exception>(() => ArgoRolloutsSchema.AssertValidAsync([mistyped]));
        var podError = await Assert.ThrowsAnyAsync<Exception>(() => ArgoRolloutsSchema.AssertValidAsync([unknownPodField]));

        Assert.Contains("autoPromotionEnabled must be boolean", typeError.Message, StringComparison.Ordinal);
        Assert.Contains("spec.template", podError.Message, StringComparison.Ordinal);
        Assert.Contains("hostNetwrk", podError.Message, StringComparison.Ordinal);
    }

    private static async Task AssertKustomizeBuildsAsync(IReadOnlyList<PropertyMap> objects)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"bluegreen-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var files = objects.Select((o, i) => (Name: $"{i:00}-{o.GetString("kind")!.ToLowerInvariant()}.yaml", Object: o)).ToList();
            foreach (var (name, manifest) in files)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, name), ManifestYaml.Write(manifest));
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "kustomization.yaml"),
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" + string.Concat(files.Select(static f => $"  - {f.Name}\n")));
            var built = await KustomizeBuild.BuildAsync(folder);
            Assert.Equal(objects.Count, built.Length);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("image.tag=latest", "/image/tag")]
    [InlineData("branding.primaryColor=blue", "/branding/primaryColor")]
    [InlineData("database.password=hunter2", "password")]
    [InlineData("tenant.id=Not_A_Name", "/tenant/id")]
    [InlineData("backupRunner.schedule=sometimes", "/backupRunner/schedule")]
    public async Task Platform_chart_schema_refuses_bad_values_naming_the_field(string setting, string field)
    {
        var template = await HelmAsync("template", "acme", RepositoryTools.PlatformChart, "--set", setting);

        Assert.NotEqual(0, template.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", template.Error);
        Assert.Contains(field, template.Error);
    }
}
