using Infra.Policies.Tests.Support;
using Infra.Policy;
using static Infra.Policies.Tests.Support.TenantFixtures;

namespace Infra.Policies.Tests.Compliance;

public class WorkloadTests
{
    private const string FirstContainer = "spec.template.spec.containers[0]";

    [Fact]
    public async Task Container_resources_pass_when_requests_and_limits_are_set()
    {
        var report = await ComplianceCheck.RunAsync(WebDeployment());

        report.AssertPasses("container-resources");
    }

    [Fact]
    public async Task Container_resources_fail_a_container_without_a_memory_limit()
    {
        var deployment = WebDeployment().Remove($"{FirstContainer}.resources.limits.memory");

        var report = await ComplianceCheck.RunAsync(deployment);

        var violation = report.AssertFailsOn("container-resources", deployment);
        Assert.Contains("resources.limits.memory", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("resources.requests", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Container_resources_reach_the_pod_template_of_a_cron_job()
    {
        var cronJob = Fixture.Kubernetes("""
            { "apiVersion": "batch/v1", "kind": "CronJob", "metadata": { "name": "report", "namespace": "tenant-acme" },
              "spec": { "schedule": "0 * * * *", "jobTemplate": { "spec": { "template": { "spec": {
                "containers": [ { "name": "report", "image": "ghcr.io/acme/report:2.0.0" } ] } } } } } }
            """);

        var report = await ComplianceCheck.RunAsync(cronJob);

        Assert.Contains("spec.jobTemplate.spec.template.spec.containers[0]", report.AssertFailsOn("container-resources", cronJob).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ghcr.io/acme/platform:1.4.2")]
    [InlineData("ghcr.io/acme/platform@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("localhost:5000/platform:1.0")]
    public async Task Pinned_image_tags_pass_a_version_tag_or_a_digest(string image)
    {
        var report = await ComplianceCheck.RunAsync(WebDeployment().Set($"{FirstContainer}.image", $"\"{image}\""));

        report.AssertPasses("pinned-image-tags");
    }

    [Theory]
    [InlineData("ghcr.io/acme/platform", "untagged")]
    [InlineData("nginx", "untagged")]
    [InlineData("ghcr.io/acme/platform:latest", "':latest' moves")]
    [InlineData("localhost:5000/platform", "untagged")]
    public async Task Pinned_image_tags_fail_untagged_and_latest_images(string image, string expected)
    {
        var deployment = WebDeployment().Set($"{FirstContainer}.image", $"\"{image}\"");

        var report = await ComplianceCheck.RunAsync(deployment);

        Assert.Contains(expected, report.AssertFailsOn("pinned-image-tags", deployment).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinned_image_tags_ignore_the_values_of_a_helm_release_which_is_not_a_workload()
    {
        var release = Fixture.Kubernetes("""
            { "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": { "name": "app", "namespace": "tenant-acme" },
              "spec": { "chart": { "spec": { "chart": "platform", "version": "1.4.2" } }, "values": { "image": "nginx:latest", "containers": [ { "image": "nginx" } ] } } }
            """);

        var report = await ComplianceCheck.RunAsync(release);

        report.AssertPasses("pinned-image-tags");
        report.AssertPasses("container-resources");
    }

    [Fact]
    public async Task Allowed_registries_pass_images_under_a_listed_registry_prefix()
    {
        var settings = """{ "compliance": { "allowed-registries": { "registries": ["https://GHCR.io/acme/", "docker.io/library"] } } }""";
        var official = WebDeployment(name: "cache").Set($"{FirstContainer}.image", "\"redis:7.4\"");

        var report = await ComplianceCheck.RunAsync(settings, WebDeployment(), official);

        report.AssertPasses("allowed-registries");
    }

    [Theory]
    [InlineData("ghcr.io/acmeevil/platform:1.0", "ghcr.io")]
    [InlineData("bitnami/redis:7.4", "docker.io")]
    [InlineData("quay.io/acme/platform:1.0", "quay.io")]
    public async Task Allowed_registries_fail_images_from_elsewhere(string image, string registry)
    {
        var settings = """{ "compliance": { "allowed-registries": { "level": "mandatory", "registries": ["ghcr.io/acme", "docker.io/library"] } } }""";
        var deployment = WebDeployment().Set($"{FirstContainer}.image", $"\"{image}\"");

        var report = await ComplianceCheck.RunAsync(settings, deployment);

        var violation = report.AssertFailsOn("allowed-registries", deployment);
        Assert.Equal(EnforcementLevel.Mandatory, violation.Level);
        Assert.Contains($"comes from '{registry}'", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allowed_registries_without_a_list_warn_about_every_image()
    {
        var deployment = WebDeployment();

        var report = await ComplianceCheck.RunAsync(deployment);

        var violation = report.AssertFailsOn("allowed-registries", deployment);
        Assert.Equal(EnforcementLevel.Advisory, violation.Level);
        Assert.Contains("none are configured", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_privileged_containers_passes_an_unprivileged_pod_and_fails_a_privileged_one()
    {
        var privileged = WebDeployment().Set($"{FirstContainer}.securityContext.privileged", "true");

        var clean = await ComplianceCheck.RunAsync(WebDeployment());
        var report = await ComplianceCheck.RunAsync(privileged);

        clean.AssertPasses("no-privileged-containers");
        Assert.Contains("container 'app' is privileged", report.AssertFailsOn("no-privileged-containers", privileged).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_host_access_passes_an_isolated_pod()
    {
        var report = await ComplianceCheck.RunAsync(WebDeployment());

        report.AssertPasses("no-host-access");
    }

    [Fact]
    public async Task No_host_access_fails_host_network_host_pid_and_host_path_volumes()
    {
        var pod = Fixture.Kubernetes($$"""
            { "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "debug", "namespace": "tenant-acme" },
              "spec": { "hostNetwork": true, "hostPID": true, "containers": [ {{Container}} ],
                        "volumes": [ { "name": "root", "hostPath": { "path": "/" } } ] } }
            """);

        var report = await ComplianceCheck.RunAsync(pod);

        var messages = report.Of("no-host-access").Select(v => v.Message).ToList();
        Assert.Equal(3, messages.Count);
        Assert.Contains(messages, m => m.Contains("hostNetwork", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("hostPID", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("volume 'root' mounts a hostPath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Non_root_read_only_passes_when_the_pod_sets_run_as_non_root_and_the_container_a_read_only_root()
    {
        var inherited = WebDeployment().Remove($"{FirstContainer}.securityContext.runAsNonRoot");

        var report = await ComplianceCheck.RunAsync(inherited);

        report.AssertPasses("non-root-read-only");
    }

    [Fact]
    public async Task Non_root_read_only_fails_a_container_that_may_run_as_root_with_a_writable_root()
    {
        var deployment = WebDeployment()
            .Set($"{FirstContainer}.securityContext.runAsNonRoot", "false")
            .Remove($"{FirstContainer}.securityContext.readOnlyRootFilesystem");

        var report = await ComplianceCheck.RunAsync(deployment);

        var violation = report.AssertFailsOn("non-root-read-only", deployment);
        Assert.Contains("securityContext.runAsNonRoot and securityContext.readOnlyRootFilesystem", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_root_read_only_remediation_sets_both_flags_on_the_container()
    {
        var deployment = WebDeployment().Remove("spec.template.spec.securityContext").Remove($"{FirstContainer}.securityContext");

        var report = await ComplianceCheck.RunAsync("""{ "compliance": { "non-root-read-only": "remediate" } }""", deployment);

        var remediated = Assert.Single(report.Resources).Inputs;
        Assert.True(remediated.BoolAt($"{FirstContainer}.securityContext.runAsNonRoot"));
        Assert.True(remediated.BoolAt($"{FirstContainer}.securityContext.readOnlyRootFilesystem"));
        Assert.Equal(EnforcementLevel.Remediate, report.AssertFailsOn("non-root-read-only", deployment).Level);
    }

    [Fact]
    public async Task Health_probes_pass_probed_containers_and_jobs_without_probes()
    {
        var job = Fixture.Kubernetes("""
            { "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": "migrate", "namespace": "tenant-acme" },
              "spec": { "template": { "spec": { "containers": [ { "name": "migrate", "image": "ghcr.io/acme/migrate:1.0.0" } ] } } } }
            """);

        var report = await ComplianceCheck.RunAsync(WebDeployment(), job);

        report.AssertPasses("health-probes");
    }

    [Fact]
    public async Task Health_probes_fail_a_container_without_a_liveness_probe_as_advisory()
    {
        var deployment = WebDeployment().Remove($"{FirstContainer}.livenessProbe");

        var report = await ComplianceCheck.RunAsync(deployment);

        var violation = report.AssertFailsOn("health-probes", deployment);
        Assert.Equal(EnforcementLevel.Advisory, violation.Level);
        Assert.Contains("no livenessProbe", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workload_rules_skip_images_and_security_contexts_known_only_at_apply()
    {
        var deployment = WebDeployment()
            .Set($"{FirstContainer}.image", """{ "$unknown": true }""")
            .Set($"{FirstContainer}.securityContext", """{ "$unknown": true }""");

        var report = await ComplianceCheck.RunAsync("""{ "compliance": { "allowed-registries": { "registries": ["ghcr.io/acme"] } } }""", deployment);

        report.AssertPasses("pinned-image-tags");
        report.AssertPasses("allowed-registries");
        report.AssertPasses("non-root-read-only");
    }
}
