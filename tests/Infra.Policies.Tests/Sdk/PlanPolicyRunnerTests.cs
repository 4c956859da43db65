using Infra.Deployment;
using Infra.Policies.Compliance;
using Infra.Policies.Tests.Support;
using Infra.Policy;
using Infra.Values;
using static Infra.Policies.Tests.Support.TenantFixtures;

namespace Infra.Policies.Tests.Sdk;

public class PlanPolicyRunnerTests
{
    private static PlannedStep Step(PolicyResource resource, StepOp op) => new()
    {
        Urn = resource.Urn,
        Type = resource.Type,
        Op = op,
        NewInputs = op == StepOp.Delete ? null : resource.Inputs,
        OldInputs = op == StepOp.Create ? null : resource.Inputs,
        Protect = resource.Protect,
    };

    private static SavedPlan Plan(params PlannedStep[] steps) => new() { Stack = "tenant-acme", Project = "platform", Steps = [.. steps] };

    [Fact]
    public async Task A_saved_plan_is_checked_without_any_stack()
    {
        var weakBackup = Backup(retentionDays: 7);
        var plaintextRole = Role().Set("password", "\"hunter2\"");
        var plan = Plan(Step(Database(), StepOp.Same), Step(weakBackup, StepOp.Update), Step(plaintextRole, StepOp.Create), Step(RevokePublic(), StepOp.Same),
            Step(BackupRunner(), StepOp.Same));

        var report = await PlanPolicyRunner.RunAsync(plan, PolicyPackSet.Of(new CompliancePack()),
            PolicySettings.FromJson("""{ "compliance": { "min-backup-retention": { "minDays": 30 } } }"""));

        Assert.Equal("tenant-acme", report.Stack);
        Assert.True(report.HasMandatoryViolations);
        Assert.Equal(
            [(weakBackup.Urn, "min-backup-retention"), (plaintextRole.Urn, "secret-inputs")],
            report.Violations.Select(v => (v.Urn, v.Policy)).OrderBy(p => p.Policy, StringComparer.Ordinal));
    }

    [Fact]
    public void Deleted_resources_and_components_are_not_the_stacks_anymore()
    {
        var deleted = Role().Set("password", "\"hunter2\"");
        var component = new PlannedStep { Urn = "urn:infra:dev::platform::infra:components:TenantDatabase::acme", Type = "infra:components:TenantDatabase", Op = StepOp.Create, Custom = false, NewInputs = PropertyMap.Empty };

        var resources = PlanPolicyRunner.ResourcesOf(Plan(Step(deleted, StepOp.Delete), component, Step(Backup(), StepOp.Create)));

        Assert.Equal("infra:index:BackupSchedule", Assert.Single(resources).Type);
    }

    [Fact]
    public async Task Protect_recorded_in_the_plan_reaches_the_production_rules()
    {
        var packs = PolicyPackSet.Of(new CompliancePack());
        var production = PolicySettings.FromJson("""{ "compliance": { "production": true } }""");
        var protectedDb = Database(protect: true);
        var unprotectedDb = Database("globex", protect: false);

        var report = await PlanPolicyRunner.RunAsync(Plan(Step(protectedDb, StepOp.Same), Step(unprotectedDb, StepOp.Create)), packs, production);

        Assert.Equal(unprotectedDb.Urn, Assert.Single(report.Of("production-protect-databases")).Urn);
    }

    [Fact]
    public async Task Remediations_show_in_the_report_of_a_plan()
    {
        var role = Role().Set("password", "\"hunter2\"");

        var report = await PlanPolicyRunner.RunAsync(Plan(Step(role, StepOp.Create)), PolicyPackSet.Of(new CompliancePack()),
            PolicySettings.FromJson("""{ "compliance": { "secret-inputs": "remediate" } }"""));

        Assert.Equal(EnforcementLevel.Remediate, Assert.Single(report.Violations).Level);
        Assert.Equal("compliance/secret-inputs", Assert.Single(report.Remediated[role.Urn]));
        Assert.False(report.HasMandatoryViolations);
    }
}
