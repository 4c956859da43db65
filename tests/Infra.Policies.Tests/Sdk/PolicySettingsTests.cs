using Infra.Configuration;
using Infra.Policies.Compliance;
using Infra.Policies.Tests.Support;
using Infra.Policy;

namespace Infra.Policies.Tests.Sdk;

public sealed class PolicySettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("infra-policy-settings-").FullName;

    private static readonly PolicyPackSet s_packs = PolicyPackSet.Of(new CompliancePack(), new TestingPack());

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private StackSettingsFile SettingsFile(string policiesYaml)
    {
        var path = Path.Combine(_directory, "Pulumi.dev.yaml");
        File.WriteAllText(path, "config:\n  infra:kind: tenant\npolicies:\n" + policiesYaml);
        return StackSettingsFile.Load(path);
    }

    private ConfigException Invalid(string policiesYaml) =>
        Assert.Throws<ConfigException>(() => s_packs.ForStack("dev", SettingsFile(policiesYaml)));

    [Fact]
    public void The_settings_file_example_sets_level_and_config_per_stack()
    {
        var settings = SettingsFile("""
              compliance:
                production: true
                min-backup-retention: { level: mandatory, minDays: 30 }
                allowed-registries: { registries: [ghcr.io/acme, registry.k8s.io] }
                health-probes: disabled
            """);

        var enforcer = Assert.IsType<PolicyEnforcer>(s_packs.ForStack("dev", settings));

        var retention = enforcer.Policies.Single(p => p.Name == "min-backup-retention");
        Assert.Equal(30, retention.Config.GetInt64("minDays"));
        Assert.True(retention.PackConfig.GetBoolean("production"));
        Assert.Equal<string>(["ghcr.io/acme", "registry.k8s.io"], enforcer.Policies.Single(p => p.Name == "allowed-registries").Config.GetStringList("registries"));
        Assert.Equal(EnforcementLevel.Disabled, enforcer.Policies.Single(p => p.Name == "health-probes").Level);
        Assert.Equal(EnforcementLevel.Mandatory, enforcer.Policies.Single(p => p.Name == "container-resources").Level);
    }

    [Fact]
    public void A_wrongly_typed_value_names_the_file_the_key_the_pack_and_the_policy_in_one_line()
    {
        var error = Invalid("""
              compliance:
                min-backup-retention: { minDays: thirty }
            """);

        Assert.Equal("policies.compliance.min-backup-retention.minDays", error.Key);
        Assert.EndsWith("Pulumi.dev.yaml", error.File, StringComparison.Ordinal);
        Assert.Contains("pack 'compliance', policy 'min-backup-retention': 'minDays' must be an integer, got 'thirty'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("min-backup-retention: { minDays: 0 }", "policies.compliance.min-backup-retention.minDays", "must be at least 1")]
    [InlineData("min-backup-retention: { retention: 30 }", "policies.compliance.min-backup-retention.retention", "unknown setting 'retention' (known: minDays, level)")]
    [InlineData("allowed-registries: { registries: ghcr.io }", "policies.compliance.allowed-registries.registries", "must be a list of strings")]
    [InlineData("min-backup-retention: { level: strict }", "policies.compliance.min-backup-retention.level", "expected a level (advisory, mandatory, remediate, disabled)")]
    [InlineData("min-backup-retention: remediate", "policies.compliance.min-backup-retention", "the policy cannot remediate")]
    [InlineData("min-backup-retentoin: disabled", "policies.compliance.min-backup-retentoin", "neither one of its policies")]
    [InlineData("production: yes-please", "policies.compliance.production", "pack 'compliance': 'production' must be a boolean")]
    [InlineData("tenant-default-deny: { directions: [Ingress, Sideways] }", "policies.compliance.tenant-default-deny.directions", "does not allow 'Sideways'")]
    public void Invalid_settings_are_refused_with_the_key_at_fault(string entry, string key, string expected)
    {
        var error = Invalid("  compliance:\n    " + entry + "\n");

        Assert.Equal(key, error.Key);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_for_a_pack_that_is_not_loaded_are_refused_with_the_fix()
    {
        var error = Invalid("  acme: { owner-label: mandatory }\n");

        Assert.Equal("policies.acme", error.Key);
        Assert.Contains("no policy pack named 'acme' is loaded (loaded: compliance, testing); pass --policy-pack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_for_packs_are_checked_even_when_no_pack_is_loaded()
    {
        Assert.Throws<ConfigException>(() => PolicyPackSet.Empty.ForStack("dev", SettingsFile("  compliance: { }\n")));
        Assert.Null(PolicyPackSet.Empty.ForStack("dev", new StackSettingsFile { Path = "none.yaml" }));
    }

    [Fact]
    public void Empty_entries_leave_the_pack_and_the_policy_at_their_defaults()
    {
        var enforcer = Assert.IsType<PolicyEnforcer>(s_packs.ForStack("dev", SettingsFile("  compliance:\n    health-probes:\n")));

        Assert.Equal(EnforcementLevel.Advisory, enforcer.Policies.Single(p => p.Name == "health-probes").Level);
    }

    [Fact]
    public void A_policies_section_that_is_not_a_mapping_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() => PolicySettings.FromJson("""["compliance"]""", "Pulumi.dev.yaml"));

        Assert.Equal("policies", error.Key);
    }
}
