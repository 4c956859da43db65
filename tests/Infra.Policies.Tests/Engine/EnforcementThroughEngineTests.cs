using Infra.Automation;
using Infra.Deployment;
using Infra.Policies.Tests.Support;
using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Tests.Engine;

/// <summary>The packs enforced by the engine itself, through the Automation API, as <c>infra preview</c> and <c>infra up</c> do.</summary>
public class EnforcementThroughEngineTests
{
    private const string ThirtyDaysMandatory = """
          compliance:
            min-backup-retention: { level: mandatory, minDays: 30 }
        """;

    private static PropertyMap Schedule(string tenant, int retentionDays) => PropertyMap.Create(new Dictionary<string, PropertyValue>
    {
        ["tenant"] = PropertyValue.Create(tenant),
        ["database"] = PropertyValue.Create($"tenant_{tenant}"),
        ["schedule"] = PropertyValue.Create("0 3 * * *"),
        ["retentionDays"] = PropertyValue.Create(retentionDays),
    });

    private static PropertyMap Role(string tenant, PropertyValue password) => PropertyMap.Create(new Dictionary<string, PropertyValue>
    {
        ["name"] = PropertyValue.Create($"tenant_{tenant}"),
        ["login"] = PropertyValue.True,
        ["password"] = password,
    });

    /// <summary>Declares the resources; each backup schedule also gets the CronJob that runs it, as the tenant stack renders one.</summary>
    private static StackProgram Program(params (string Type, string Name, PropertyMap Inputs)[] resources) => StackProgram.FromDelegate(ctx =>
    {
        foreach (var (type, name, inputs) in resources)
        {
            _ = new Declared(type, name, inputs);
            if (type == "infra:index:BackupSchedule")
            {
                _ = new Declared("infra:index:Manifest", $"runner-{name}", RunnerOf(inputs.GetString("tenant")!));
            }
        }
    });

    private static PropertyMap RunnerOf(string tenant) => PropertyJson.ParseMap($$"""
        { "apiVersion": "batch/v1", "kind": "CronJob", "metadata": { "name": "tenant-backup-{{tenant}}", "namespace": "infra-system", "labels": { "infra.dev/backup-of": "{{tenant}}" } },
          "spec": { "schedule": "0 3 * * *", "jobTemplate": { "spec": { "template": { "spec": {
            "securityContext": { "runAsNonRoot": true, "seccompProfile": { "type": "RuntimeDefault" } },
            "containers": [ { "name": "backup", "args": ["tenant", "backup", "-s", "tenant-{{tenant}}"],
              "securityContext": { "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": { "drop": ["ALL"] } },
              "resources": { "requests": { "cpu": "100m", "memory": "256Mi" }, "limits": { "cpu": "1", "memory": "1Gi" } } } ] } } } } } }
        """, PropertyJsonMode.Plaintext);

    private static (string, string, PropertyMap) BackupOf(string tenant, int retentionDays) =>
        ("infra:index:BackupSchedule", $"backup-{tenant}", Schedule(tenant, retentionDays));

    [Fact]
    public async Task Remediation_appears_in_the_plan_and_is_applied()
    {
        await using var project = await PolicyProject.CreateAsync();
        var stack = await project.CreateStackAsync("dev", "  compliance:\n    secret-inputs: remediate");
        var program = Program(("postgres:index:Role", "role", Role("acme", PropertyValue.Create("hunter2"))));

        var preview = await stack.PreviewAsync(project.Preview(program));

        var planned = Assert.Single(preview.Plan.Steps);
        Assert.True(planned.NewInputs!["password"].IsSecret);
        var rewrite = Assert.Single(preview.Violations);
        Assert.Equal(("secret-inputs", EnforcementLevel.Remediate, planned.Urn), (rewrite.Policy, rewrite.Level, rewrite.Urn));
        Assert.Contains("rewrote password", rewrite.Message, StringComparison.Ordinal);

        await stack.UpAsync(project.Up(program));

        var applied = Assert.Single(project.Store.Objects.Values);
        Assert.True(applied["password"].IsSecret);
        var state = Assert.Single((await stack.GetSnapshotAsync()).Resources);
        Assert.True(state.Inputs["password"].IsSecret);
        Assert.Equal("hunter2", state.Inputs["password"].SecretValue.AsString);
    }

    [Fact]
    public async Task Mandatory_violation_blocks_up_with_nothing_changed_and_the_state_untouched()
    {
        await using var project = await PolicyProject.CreateAsync();
        var stack = await project.CreateStackAsync("dev", ThirtyDaysMandatory);
        await stack.UpAsync(project.Up(Program(BackupOf("acme", 30))));
        var before = await stack.GetSnapshotAsync();
        var objectsBefore = project.Store.Objects.ToDictionary();
        var callsBefore = project.Store.Calls;

        var shortened = Program(BackupOf("acme", 7), ("postgres:index:Role", "role", Role("acme", PropertyValue.Secret(PropertyValue.Create("s3cret")))));
        var error = await Assert.ThrowsAsync<PolicyViolationException>(() => stack.UpAsync(project.Up(shortened)));

        Assert.Contains("compliance/min-backup-retention", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(callsBefore, project.Store.Calls);
        Assert.Equal(objectsBefore, project.Store.Objects.ToDictionary());
        var after = await stack.GetSnapshotAsync();
        Assert.Equal(before.Serial, after.Serial);
        Assert.Equal(before.Resources.Select(static r => (r.Urn, r.Inputs)), after.Resources.Select(static r => (r.Urn, r.Inputs)));
        Assert.Equal(30, after.Resources.Single(static r => r.Type == "infra:index:BackupSchedule").Inputs["retentionDays"].AsNumber);
    }

    [Fact]
    public async Task Preview_reports_every_violation_not_only_the_first()
    {
        await using var project = await PolicyProject.CreateAsync();
        var stack = await project.CreateStackAsync("dev", ThirtyDaysMandatory);
        var program = Program(BackupOf("acme", 7), BackupOf("globex", 14), ("postgres:index:Role", "role", Role("acme", PropertyValue.Create("plain"))));

        var error = await Assert.ThrowsAsync<PolicyViolationException>(() => stack.PreviewAsync(project.Preview(program)));

        Assert.Equal(
            ["min-backup-retention", "min-backup-retention", "secret-inputs"],
            error.Violations.Select(static v => v.Policy).Order(StringComparer.Ordinal));
        Assert.All(error.Violations, v => Assert.Equal(("compliance", "1.0.0", EnforcementLevel.Mandatory), (v.Pack, v.PackVersion, v.Level)));
        Assert.Equal(3, project.PolicyEvents().Count);
    }

    [Fact]
    public async Task Advisory_violation_lets_up_proceed_and_is_reported_as_an_event()
    {
        await using var project = await PolicyProject.CreateAsync();
        var stack = await project.CreateStackAsync("dev", """
              compliance:
                min-backup-retention: { level: advisory, minDays: 30 }
            """);

        var result = await stack.UpAsync(project.Up(Program(BackupOf("acme", 7))));

        Assert.Equal(2, result.Summary[StepOp.Create]);
        Assert.Equal(2, project.Store.Objects.Count);
        var warning = Assert.Single(result.Violations);
        Assert.Equal(("min-backup-retention", EnforcementLevel.Advisory), (warning.Policy, warning.Level));
        Assert.Contains(project.PolicyEvents(), e => e.Violation.Policy == "min-backup-retention" && e.Violation.Level == EnforcementLevel.Advisory);
    }

    [Fact]
    public async Task Turning_a_policy_to_disabled_in_the_stack_settings_silences_it()
    {
        await using var project = await PolicyProject.CreateAsync();
        var stack = await project.CreateStackAsync("dev", ThirtyDaysMandatory);
        var program = Program(BackupOf("acme", 7));
        await Assert.ThrowsAsync<PolicyViolationException>(() => stack.UpAsync(project.Up(program)));

        await PolicyProject.SetPoliciesAsync(stack, "  compliance:\n    min-backup-retention: disabled");
        var result = await stack.UpAsync(project.Up(program));

        Assert.Equal(2, result.Summary[StepOp.Create]);
        Assert.Empty(result.Violations);
        Assert.Equal(2, project.Store.Objects.Count);
    }

    [Fact]
    public async Task A_throwing_policy_stops_preview_as_an_error_of_that_policy()
    {
        await using var project = await PolicyProject.CreateAsync(new TestingPack());
        var stack = await project.CreateStackAsync("dev", "  testing: { }");

        var error = await Assert.ThrowsAsync<PolicyViolationException>(
            () => stack.PreviewAsync(project.Preview(Program(("infra:index:BackupSchedule", "boom", Schedule("acme", 30))))));

        var violation = Assert.Single(error.Violations);
        Assert.True(violation.IsPolicyError);
        Assert.Equal(("testing", "throws-on-resource"), (violation.Pack, violation.Policy));
    }

    [Fact]
    public async Task Invalid_policy_settings_stop_the_update_before_anything_runs()
    {
        await using var project = await PolicyProject.CreateAsync();
        var stack = await project.CreateStackAsync("dev", "  compliance:\n    min-backup-retention: { minDays: thirty }");

        var error = await Assert.ThrowsAsync<ConfigException>(() => stack.UpAsync(project.Up(Program(BackupOf("acme", 30)))));

        Assert.Equal("policies.compliance.min-backup-retention.minDays", error.Key);
        Assert.Empty(project.Store.Objects);
        Assert.Empty((await stack.GetSnapshotAsync()).Resources);
    }
}
