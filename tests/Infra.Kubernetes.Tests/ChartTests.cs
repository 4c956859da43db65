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
