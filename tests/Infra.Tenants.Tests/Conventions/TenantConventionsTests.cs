using Infra.Components.Kubernetes;
using Infra.Deployment;
using Infra.Policies;
using Infra.Policies.Compliance;
using Infra.Providers;
using Infra.Providers.Infra;
using Infra.Providers.Kubernetes;
using Infra.Stacks.Kinds.Tenant;
using Infra.Tenancy;
using Infra.Testing;
using Infra.TestSupport;
using Infra.Values;

namespace Infra.Tenants.Tests.Conventions;

/// <summary>One owner for every tenant rule: what a component writes, a stack checks and the compliance pack reads agree.</summary>
public sealed class TenantConventionsTests
{
    [Fact]
    public void Every_name_the_platform_gives_a_tenant_comes_from_its_id_and_leads_back_to_it()
    {
        Assert.Equal("tenant-acme", TenantConventions.NamespaceOf("acme"));
        Assert.Equal("tenant_acme", TenantConventions.DatabaseName("acme"));
        Assert.Equal("tenant_acme", TenantConventions.RoleName("acme"));
        Assert.Equal("tenant-acme-admins", TenantConventions.AdminGroupOf("acme"));
        Assert.Equal("tenant-standard", TenantConventions.PriorityClassOf("standard"));
        Assert.Equal("acme", TenantConventions.TenantOfNamespace(TenantConventions.NamespaceOf("acme")));
        Assert.Equal("acme", TenantConventions.TenantOfPostgresName(TenantConventions.DatabaseName("acme") + "_app"));
        Assert.Null(TenantConventions.TenantOfNamespace("monitoring"));
        Assert.Null(TenantConventions.TenantOfPostgresName("postgres"));
    }

    [Theory]
    [InlineData("acme", true)]
    [InlineData("a1-b2", true)]
    [InlineData("t0123456789abcdef0123456789abcdef012345z", true)]
    [InlineData("ab", false)]
    [InlineData("-acme", false)]
    [InlineData("acme-", false)]
    [InlineData("Acme", false)]
    [InlineData("acme_app", false)]
    [InlineData("acme'; DROP DATABASE x; --", false)]
    [InlineData("t0123456789abcdef0123456789abcdef0123456z", false)]
    public void A_tenant_id_is_a_dns_label_that_can_carry_no_sql(string id, bool valid)
    {
        Assert.Equal(valid, TenantConventions.IdProblem(id) is null);
        if (!valid)
        {
            Assert.Throws<ArgumentException>(() => TenantConventions.NamespaceOf(id));
            Assert.Throws<ArgumentException>(() => TenantConventions.DatabaseName(id));
        }
    }

    [Fact]
    public async Task The_namespace_carries_the_one_tenant_label_that_the_compliance_pack_reads()
    {
        var result = await StackTest.PreviewAsync(StackProgram.FromDelegate(_ => new TenantNamespace("acme", new TenantNamespaceArgs
        {
            TenantId = "acme",
            Size = new NamespaceSize
            {
                Tier = "standard", Priority = 1000, RequestsCpu = "2", RequestsMemory = "4Gi", LimitsCpu = "4", LimitsMemory = "8Gi", Storage = "20Gi",
                Pods = 20, Services = 10, PersistentVolumeClaims = 5, DefaultCpu = "500m", DefaultMemory = "512Mi", DefaultRequestCpu = "100m",
                DefaultRequestMemory = "128Mi", MaxCpu = "2", MaxMemory = "2Gi",
            },
            AdminGroup = "acme-admins",
            DatabaseCidr = "10.20.0.15/32",
        })));

        var ns = result.Get(KubernetesProvider.ObjectType, "acme-namespace").NewInputs!;
        var labels = ns["metadata"].AsObject["labels"].AsObject;
        Assert.Equal("acme", labels.GetString(TenantConventions.LabelKey));
        Assert.Equal(TenantConventions.NamespaceOf("acme"), ns["metadata"].AsObject.GetString("name"));
        Assert.DoesNotContain(labels.Keys, static key => key.EndsWith("/tenant", StringComparison.Ordinal) && key != TenantConventions.LabelKey);
    }

    [Theory]
    [InlineData("0 3 * * *", true)]
    [InlineData("*/15 2 * * 1-5", true)]
    [InlineData("@daily", true)]
    [InlineData("@hourly", true)]
    [InlineData("@reboot", false)]
    [InlineData("0 3 * *", false)]
    [InlineData("0 3 * * * *", false)]
    [InlineData("daily", false)]
    [InlineData("@", false)]
    public async Task The_plans_file_the_infra_provider_and_the_compliance_pack_accept_the_same_backup_schedules(string schedule, bool valid)
    {
        var directory = Directory.CreateTempSubdirectory("infra-conventions-");
        try
        {
            var plans = Path.Combine(directory.FullName, TenantPlans.FileName);
            var original = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "environments", TenantPlans.FileName));
            Assert.Contains("schedule: \"0 3 * * *\"", original, StringComparison.Ordinal);
            await File.WriteAllTextAsync(plans, original.Replace("schedule: \"0 3 * * *\"", $"schedule: \"{schedule}\"", StringComparison.Ordinal));
            var plansError = Record.Exception(() => TenantPlans.Load(plans));

            var urn = Urn.Create("tenant-acme", "platform", null, InfraProvider.BackupScheduleType, "acme-backup");
            var inputs = PropertyMap.Empty
                .SetItem("tenant", PropertyValue.Create("acme"))
                .SetItem("database", PropertyValue.Create("tenant_acme"))
                .SetItem("schedule", PropertyValue.Create(schedule))
                .SetItem("retentionDays", PropertyValue.Create(30));
            var check = await new InfraProvider().CheckAsync(new CheckRequest(urn, InfraProvider.BackupScheduleType, null, inputs), default);

            var plan = new SavedPlan
            {
                Stack = "tenant-acme", Project = "platform",
                Steps = [new PlannedStep { Urn = urn, Type = InfraProvider.BackupScheduleType, Op = StepOp.Create, NewInputs = inputs }],
            };
            var report = await PlanPolicyRunner.RunAsync(plan, PolicyPackSet.Of(new CompliancePack()), PolicySettings.Empty);

            Assert.Equal(valid, TenantConventions.IsSchedule(schedule));
            Assert.True(valid == (plansError is null), $"plans.yaml: {plansError?.Message}");
            Assert.True(valid == check.Failures.IsDefaultOrEmpty, $"infra provider: {string.Join("; ", check.Failures.IsDefault ? [] : check.Failures.Select(static f => f.Reason))}");
            Assert.Equal(valid, !report.Violations.Any(static v => v.Message.Contains("needs a 'schedule'", StringComparison.Ordinal)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
