using Infra.Policies.Tests.Support;
using Infra.Policy;
using static Infra.Policies.Tests.Support.TenantFixtures;

namespace Infra.Policies.Tests.Compliance;

public class ProductionTests
{
    private const string Production = """{ "compliance": { "production": true } }""";

    [Fact]
    public async Task Protect_databases_passes_a_protected_production_database()
    {
        var report = await ComplianceCheck.RunAsync(Production, Database(protect: true));

        report.AssertPasses("production-protect-databases");
    }

    [Fact]
    public async Task Protect_databases_fails_an_unprotected_production_database_only()
    {
        var database = Database(protect: false);

        var production = await ComplianceCheck.RunAsync(Production, database);
        var development = await ComplianceCheck.RunAsync(database);

        Assert.Contains("Protect = true", production.AssertFailsOn("production-protect-databases", database).Message, StringComparison.Ordinal);
        development.AssertPasses("production-protect-databases");
    }

    [Fact]
    public async Task Replicas_pass_two_or_more_in_production()
    {
        var report = await ComplianceCheck.RunAsync(Production, WebDeployment().Set("spec.replicas", "3"));

        report.AssertPasses("production-replicas");
    }

    [Theory]
    [InlineData("1", "spec.replicas is 1")]
    [InlineData(null, "spec.replicas is 1")]
    public async Task Replicas_fail_a_single_replica_in_production(string? replicas, string expected)
    {
        var deployment = replicas is null ? WebDeployment().Remove("spec.replicas") : WebDeployment().Set("spec.replicas", replicas);

        var production = await ComplianceCheck.RunAsync(Production, deployment);
        var development = await ComplianceCheck.RunAsync(deployment);

        Assert.Contains(expected, production.AssertFailsOn("production-replicas", deployment).Message, StringComparison.Ordinal);
        development.AssertPasses("production-replicas");
    }

    [Fact]
    public async Task Replicas_remediation_raises_the_count_to_the_configured_minimum()
    {
        var deployment = WebDeployment().Set("spec.replicas", "1");

        var report = await ComplianceCheck.RunAsync(
            """{ "compliance": { "production": true, "production-replicas": { "level": "remediate", "minReplicas": 3 } } }""", deployment);

        Assert.Equal(3, report.Resources[0].Inputs.NumberAt("spec.replicas"));
        Assert.Equal(EnforcementLevel.Remediate, report.AssertFailsOn("production-replicas", deployment).Level);
    }

    [Fact]
    public async Task Disruption_budget_passes_a_workload_whose_pods_a_budget_selects()
    {
        var report = await ComplianceCheck.RunAsync(Production, WebDeployment(), DisruptionBudget());

        report.AssertPasses("production-disruption-budget");
    }

    [Fact]
    public async Task Disruption_budget_fails_a_workload_whose_budget_selects_other_pods_or_sits_elsewhere()
    {
        var deployment = WebDeployment();
        var otherPods = DisruptionBudget(app: "api");
        var otherNamespace = DisruptionBudget(tenant: "globex");

        var report = await ComplianceCheck.RunAsync(Production, deployment, otherPods, otherNamespace);

        Assert.Contains("Deployment 'web' has no PodDisruptionBudget", report.AssertFailsOn("production-disruption-budget", deployment).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disruption_budget_is_not_required_outside_production()
    {
        var report = await ComplianceCheck.RunAsync(WebDeployment());

        report.AssertPasses("production-disruption-budget");
    }

    [Fact]
    public async Task Release_analysis_passes_a_production_rollout_with_a_pre_promotion_analysis_and_a_budget()
    {
        var report = await ComplianceCheck.RunAsync(WebRollout(), DisruptionBudget());

        report.AssertPasses("production-release-analysis");
        report.AssertPasses("production-disruption-budget");
    }

    [Fact]
    public async Task Release_analysis_fails_a_production_plan_rollout_without_an_analysis_step_in_any_stack()
    {
        var rollout = WebRollout().Remove("spec.strategy.blueGreen.prePromotionAnalysis");

        var report = await ComplianceCheck.RunAsync(rollout, DisruptionBudget());

        Assert.Contains("Rollout 'web' has no analysis step", report.AssertFailsOn("production-release-analysis", rollout).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_analysis_fails_a_production_plan_deployment_and_leaves_other_deployments_of_a_production_stack_alone()
    {
        var planRelease = WebDeployment().Set("metadata.labels", """{ "infra.dev/production": "true" }""");
        var platformService = WebDeployment(name: "api");

        var report = await ComplianceCheck.RunAsync(Production, planRelease, platformService, DisruptionBudget(), DisruptionBudget(app: "api"));

        Assert.Contains("plain rolling update", report.AssertFailsOn("production-release-analysis", planRelease).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Violations, v => v.Policy == "production-release-analysis" && v.Urn!.Contains("api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Release_analysis_passes_a_canary_rollout_with_an_analysis_step()
    {
        var canary = WebRollout().Set("spec.strategy", """{ "canary": { "steps": [ { "setWeight": 20 }, { "analysis": { "templates": [ { "templateName": "web" } ] } } ] } }""");

        var report = await ComplianceCheck.RunAsync(canary, DisruptionBudget());

        report.AssertPasses("production-release-analysis");
    }

    [Fact]
    public async Task Disruption_budget_fails_a_production_plan_rollout_without_one_in_any_stack()
    {
        var rollout = WebRollout();

        var report = await ComplianceCheck.RunAsync(rollout);

        Assert.Contains("Rollout 'web' has no PodDisruptionBudget", report.AssertFailsOn("production-disruption-budget", rollout).Message, StringComparison.Ordinal);
    }
}
