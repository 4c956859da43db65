using Infra.Policies.Tests.Support;
using Infra.Values;
using static Infra.Policies.Tests.Support.TenantFixtures;

namespace Infra.Policies.Tests.Compliance;

public class DataTests
{
    private const string ThirtyDays = """{ "compliance": { "min-backup-retention": { "level": "mandatory", "minDays": 30 } } }""";

    [Fact]
    public async Task Min_backup_retention_passes_a_database_whose_schedule_keeps_backups_long_enough()
    {
        var report = await ComplianceCheck.RunAsync(ThirtyDays, Database(), Backup(retentionDays: 30), BackupRunner());

        report.AssertPasses("min-backup-retention");
    }

    [Fact]
    public async Task Min_backup_retention_fails_a_schedule_that_nothing_runs()
    {
        var backup = Backup();

        var report = await ComplianceCheck.RunAsync(Database(), backup);

        Assert.Contains("nothing runs the backup schedule of database 'tenant_acme' ('0 3 * * *')", report.AssertFailsOn("min-backup-retention", backup).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("globex", "0 3 * * *")]
    [InlineData("acme", "0 4 * * *")]
    public async Task Min_backup_retention_fails_a_schedule_whose_only_cronjob_is_another_tenants_or_on_another_cron(string tenant, string cron)
    {
        var backup = Backup();

        var report = await ComplianceCheck.RunAsync(Database(), backup, BackupRunner(tenant, cron));

        Assert.Contains("nothing runs the backup schedule", report.AssertFailsOn("min-backup-retention", backup).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Min_backup_retention_fails_a_schedule_below_the_stacks_minimum()
    {
        var backup = Backup(retentionDays: 7);

        var report = await ComplianceCheck.RunAsync(ThirtyDays, Database(), backup, BackupRunner());

        var violation = report.AssertFailsOn("min-backup-retention", backup);
        Assert.Contains("keeps backups 7 days; the minimum for this stack is 30", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Min_backup_retention_fails_a_database_without_a_backup_schedule()
    {
        var database = Database("acme");

        var report = await ComplianceCheck.RunAsync(database, Backup("globex"), BackupRunner("globex"));

        Assert.Contains("database 'tenant_acme' has no backup schedule", report.AssertFailsOn("min-backup-retention", database).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Min_backup_retention_fails_a_schedule_without_a_cron_expression()
    {
        var backup = Backup().Set("schedule", "\"nightly\"");

        var report = await ComplianceCheck.RunAsync(Database(), backup, BackupRunner(schedule: "nightly"));

        Assert.Contains("five-field cron", report.AssertFailsOn("min-backup-retention", backup).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_inputs_pass_secret_passwords_and_keys_that_only_name_secrets()
    {
        var release = Fixture.Kubernetes("""
            { "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": { "name": "app", "namespace": "tenant-acme" },
              "spec": { "values": { "auth": { "existingSecret": "app-db" }, "tls": { "secretName": "app-tls" }, "automountServiceAccountToken": false,
                        "db": { "password": { "$secret": "hunter2" } } } } }
            """);

        var report = await ComplianceCheck.RunAsync(Role(), release, WebDeployment());

        report.AssertPasses("secret-inputs");
    }

    [Fact]
    public async Task Secret_inputs_fail_a_plaintext_password_without_printing_it()
    {
        var role = Role().Set("password", "\"hunter2\"");

        var report = await ComplianceCheck.RunAsync(role);

        var violation = report.AssertFailsOn("secret-inputs", role);
        Assert.Contains("input 'password'", violation.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec.values.db.connectionString", """{ "spec": { "values": { "db": { "connectionString": "Host=db;Password=x" } } } }""")]
    [InlineData("spec.template.spec.containers[0].env[0].value",
        """{ "spec": { "template": { "spec": { "containers": [ { "name": "app", "env": [ { "name": "API_TOKEN", "value": "abc" } ] } ] } } } }""")]
    [InlineData("config.client_secret", """{ "config": { "client_secret": "abc" } }""")]
    public async Task Secret_inputs_find_credentials_at_any_depth_and_in_environment_entries(string path, string json)
    {
        var resource = Fixture.Resource("example:index:Thing", "thing", json);

        var report = await ComplianceCheck.RunAsync(resource);

        Assert.Contains($"input '{path}'", report.AssertFailsOn("secret-inputs", resource).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_inputs_fail_a_kubernetes_secret_with_plaintext_data()
    {
        var secret = Fixture.Kubernetes("""
            { "apiVersion": "v1", "kind": "Secret", "metadata": { "name": "db", "namespace": "tenant-acme" },
              "stringData": { "username": "acme", "host": { "$secret": "db.internal" } } }
            """);

        var report = await ComplianceCheck.RunAsync(secret);

        Assert.Contains("input 'stringData.username'", report.AssertFailsOn("secret-inputs", secret).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_inputs_remediation_marks_the_values_secret()
    {
        var role = Role().Set("password", "\"hunter2\"");

        var report = await ComplianceCheck.RunAsync("""{ "compliance": { "secret-inputs": "remediate" } }""", role);

        var password = Assert.Single(report.Resources).Inputs["password"];
        Assert.True(password.IsSecret);
        Assert.Equal("hunter2", password.SecretValue.AsString);
        Assert.False(report.HasMandatoryViolations);
    }

    [Fact]
    public async Task Secret_inputs_wait_for_passwords_known_only_at_apply()
    {
        var role = Role().Set("password", """{ "$unknown": true }""");

        var report = await ComplianceCheck.RunAsync(role);

        report.AssertPasses("secret-inputs");
        Assert.Equal(PropertyValueKind.Unknown, report.Resources[0].Inputs["password"].Kind);
    }
}
