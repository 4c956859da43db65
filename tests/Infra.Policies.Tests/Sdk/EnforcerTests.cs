using Infra.Policies.Compliance;
using Infra.Policies.Tests.Support;
using Infra.Policy;
using static Infra.Policies.Tests.Support.TenantFixtures;

namespace Infra.Policies.Tests.Sdk;

public class EnforcerTests
{
    private static PolicyEnforcer Enforcer(string settings = "{}") =>
        PolicyPackSet.Of(new CompliancePack(), new TestingPack()).CreateEnforcer(Fixture.Stack, PolicySettings.FromJson(settings));

    private static PolicyResource Named(string name) => Fixture.Resource("example:index:Thing", name, """{ "size": 1 }""");

    [Fact]
    public async Task A_throwing_resource_policy_is_reported_as_a_mandatory_error_of_that_policy_not_as_a_pass()
    {
        var boom = Named("boom");

        var report = await Enforcer().EvaluateAsync([boom]);

        var error = Assert.Single(report.Of("throws-on-resource"));
        Assert.True(error.IsPolicyError);
        Assert.Equal(EnforcementLevel.Mandatory, error.Level);
        Assert.Equal(boom.Urn, error.Urn);
        Assert.Equal(("testing", "0.0.1"), (error.Pack, error.PackVersion));
        Assert.Contains("InvalidOperationException: the lookup table is missing second line", error.Message, StringComparison.Ordinal);
        Assert.True(report.HasPolicyErrors);
        Assert.True(report.HasMandatoryViolations);
    }

    [Fact]
    public async Task A_throwing_stack_policy_is_reported_as_an_error_of_that_policy()
    {
        var report = await Enforcer("""{ "testing": { "throws-on-stack": "advisory" } }""").EvaluateAsync([Named("quiet")]);

        var error = Assert.Single(report.Of("throws-on-stack"));
        Assert.True(error.IsPolicyError);
        Assert.Null(error.Urn);
        Assert.Contains("KeyNotFoundException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_policy_does_not_run_even_when_it_would_throw()
    {
        var report = await Enforcer("""{ "testing": { "throws-on-resource": "disabled" } }""").EvaluateAsync([Named("boom")]);

        Assert.Empty(report.Violations);
    }

    [Fact]
    public async Task A_pack_set_to_disabled_silences_all_its_policies()
    {
        var role = Role().Set("password", "\"hunter2\"");

        var report = await Enforcer("""{ "compliance": "disabled", "testing": { "level": "disabled" } }""").EvaluateAsync([role, Named("boom")]);

        Assert.Empty(report.Violations);
    }

    [Fact]
    public async Task What_a_remediation_cannot_fix_is_enforced_as_mandatory()
    {
        var unfixable = Named("unfixable");

        var report = await Enforcer("""{ "testing": { "unfixable": "remediate" } }""").EvaluateAsync([unfixable]);

        var violation = Assert.Single(report.Of("unfixable"));
        Assert.Equal(EnforcementLevel.Mandatory, violation.Level);
        Assert.False(report.Remediated.ContainsKey(unfixable.Urn));
    }

    [Fact]
    public async Task A_pack_wide_remediate_fixes_what_it_can_and_enforces_the_rest()
    {
        var role = Role().Set("password", "\"hunter2\"");
        var grant = GrantConnect("acme", role: "tenant_globex");

        var report = await Enforcer("""{ "compliance": { "level": "remediate" } }""").EvaluateAsync([role, grant]);

        Assert.Equal(EnforcementLevel.Remediate, Assert.Single(report.Of("secret-inputs")).Level);
        Assert.Equal(EnforcementLevel.Mandatory, Assert.Single(report.Of("tenant-database-grants")).Level);
        Assert.True(report.Resources[0].Inputs["password"].IsSecret);
    }

    [Fact]
    public async Task Every_violation_of_every_resource_is_reported_not_only_the_first()
    {
        var first = Role().Set("password", "\"one\"");
        var second = Role("globex").Set("password", "\"two\"").Set("connectionString", "\"three\"");

        var report = await Enforcer().EvaluateAsync([first, second]);

        Assert.Equal(3, report.Of("secret-inputs").Count);
        Assert.Equal([first.Urn, second.Urn], report.ByResource().Select(static g => g.Key));
    }

    [Fact]
    public async Task The_engine_seam_returns_remediated_inputs_and_the_remediating_policies()
    {
        var role = Role().Set("password", "\"hunter2\"");

        var result = await Enforcer("""{ "compliance": { "secret-inputs": "remediate" } }""").CheckResourceAsync(role, CancellationToken.None);

        Assert.True(result.Inputs["password"].IsSecret);
        Assert.Equal("compliance/secret-inputs", Assert.Single(result.Remediations));
        Assert.Equal(EnforcementLevel.Remediate, Assert.Single(result.Violations).Level);
    }
}
