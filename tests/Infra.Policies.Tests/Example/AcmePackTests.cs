using Acme.Policies;
using Infra.Policies.Tests.Support;
using Infra.Policy;

namespace Infra.Policies.Tests.Example;

/// <summary>How a pack author tests a pack: fixtures as property bags, run through an enforcer like a preview would.</summary>
public class AcmePackTests
{
    private static Task<PolicyReport> CheckAsync(string settings, params PolicyResource[] resources) =>
        PolicyPackSet.Of(new AcmePack()).CreateEnforcer("dev", PolicySettings.FromJson(settings)).EvaluateAsync(resources);

    private static readonly PolicyResource s_configMap = Fixture.Kubernetes("""
        { "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "branding", "namespace": "tenant-acme", "labels": { "acme.dev/owner": "web" } } }
        """);

    [Fact]
    public async Task Owner_label_passes_a_labelled_object_and_warns_about_an_unlabelled_one()
    {
        var unlabelled = s_configMap.Remove("metadata.labels");

        var report = await CheckAsync("{}", s_configMap, unlabelled);

        var violation = Assert.Single(report.Violations);
        Assert.Equal((unlabelled.Urn, EnforcementLevel.Advisory), (violation.Urn, violation.Level));
    }

    [Fact]
    public async Task Owner_label_remediation_writes_the_configured_default_owner()
    {
        var unlabelled = s_configMap.Remove("metadata.labels");

        var report = await CheckAsync("""{ "acme": { "owner-label": { "level": "remediate", "defaultOwner": "payments" } } }""", unlabelled);

        Assert.Equal("payments", report.Resources[0].Inputs.StringAt("metadata.labels[\"acme.dev/owner\"]"));
    }

    [Theory]
    [InlineData("""{ "name": "tenant_acme", "connectionLimit": 20 }""", 0)]
    [InlineData("""{ "name": "tenant_acme" }""", 1)]
    [InlineData("""{ "name": "tenant_acme", "connectionLimit": 500 }""", 1)]
    public async Task Database_connection_limit_is_required_and_capped(string inputs, int violations)
    {
        var database = Fixture.Resource("postgres:index:Database", "db", inputs);

        var report = await CheckAsync("{}", database);

        Assert.Equal(violations, report.Violations.Length);
    }
}
