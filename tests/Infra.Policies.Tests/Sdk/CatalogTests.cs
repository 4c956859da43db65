using Infra.Policies.Compliance;
using Infra.Policy;

namespace Infra.Policies.Tests.Sdk;

public class CatalogTests
{
    private static readonly PolicyPackSet s_packs = PolicyPackSet.Of(new CompliancePack());

    [Fact]
    public void The_compliance_pack_lists_every_policy_with_its_level_kind_and_config()
    {
        var pack = Assert.Single(PolicyCatalog.Describe(s_packs));

        Assert.Equal(("compliance", "1.0.0", PolicyPackSet.BuiltInSource), (pack.Name, pack.Version, pack.Source));
        Assert.Equal(20, pack.Policies.Length);
        Assert.Equal("production", Assert.Single(pack.Config).Key);
        var retention = pack.Policies.Single(p => p.Name == "min-backup-retention");
        Assert.Equal((PolicyKind.Stack, EnforcementLevel.Mandatory), (retention.Kind, retention.Level));
        Assert.Equal(("minDays", PolicyConfigType.Integer), (Assert.Single(retention.Config).Key, retention.Config[0].Type));
        var registries = pack.Policies.Single(p => p.Name == "allowed-registries");
        Assert.Equal(("registries", "list of strings"), (Assert.Single(registries.Config).Key, registries.Config[0].TypeName));
        Assert.Contains("Kubernetes workloads", registries.Selects, StringComparison.Ordinal);
        Assert.All(pack.Policies, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Equal(4, pack.Policies.Count(static p => p.CanRemediate));
    }

    [Fact]
    public void With_a_stacks_settings_the_listing_shows_the_levels_that_stack_runs_at()
    {
        var settings = PolicySettings.FromJson("""{ "compliance": { "level": "advisory", "secret-inputs": "remediate" } }""");

        var pack = Assert.Single(PolicyCatalog.Describe(s_packs, settings));

        var policy = pack.Policies.Single(p => p.Name == "min-backup-retention");
        Assert.Equal((EnforcementLevel.Mandatory, EnforcementLevel.Advisory), (policy.DefaultLevel, policy.Level));
        Assert.Equal(EnforcementLevel.Remediate, pack.Policies.Single(p => p.Name == "secret-inputs").Level);
    }
}
