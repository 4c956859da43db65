using Infra.Policies.Tests.Support;
using Infra.Policy;
using static Infra.Policies.Tests.Support.TenantFixtures;

namespace Infra.Policies.Tests.Compliance;

public class TenantIsolationTests
{
    private const string ProductionWithRegistries = """
        { "compliance": { "production": true, "allowed-registries": { "registries": ["ghcr.io/acme"] } } }
        """;

    [Fact]
    public async Task Compliant_tenant_stack_has_no_violations_even_in_production()
    {
        var report = await ComplianceCheck.RunAsync(ProductionWithRegistries, [.. Namespaced(), .. DatabaseResources()]);

        Assert.Empty(report.Violations);
        Assert.False(report.HasMandatoryViolations);
    }

    [Fact]
    public async Task Pod_security_passes_a_restricted_tenant_namespace_and_ignores_platform_namespaces()
    {
        var platform = Fixture.Kubernetes("""{ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "ingress-nginx" } }""");

        var report = await ComplianceCheck.RunAsync(Namespace(), platform);

        report.AssertPasses("tenant-pod-security");
    }

    [Fact]
    public async Task Pod_security_fails_a_tenant_namespace_without_the_restricted_label()
    {
        var ns = Namespace().Remove("metadata.labels[\"pod-security.kubernetes.io/enforce\"]");

        var report = await ComplianceCheck.RunAsync(ns);

        var violation = report.AssertFailsOn("tenant-pod-security", ns);
        Assert.Equal(EnforcementLevel.Mandatory, violation.Level);
        Assert.Contains("pod-security.kubernetes.io/enforce: restricted", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pod_security_recognises_a_tenant_namespace_by_its_label_and_fails_the_baseline_profile()
    {
        var ns = Fixture.Kubernetes("""
            { "apiVersion": "v1", "kind": "Namespace",
              "metadata": { "name": "acme-apps", "labels": { "infra.dev/tenant": "acme", "pod-security.kubernetes.io/enforce": "baseline" } } }
            """);

        var report = await ComplianceCheck.RunAsync(ns);

        Assert.Contains("'baseline'", report.AssertFailsOn("tenant-pod-security", ns).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pod_security_remediation_adds_the_label_and_reports_the_rewrite()
    {
        var ns = Namespace().Remove("metadata.labels[\"pod-security.kubernetes.io/enforce\"]");

        var report = await ComplianceCheck.RunAsync("""{ "compliance": { "tenant-pod-security": "remediate" } }""", ns);

        var rewrite = report.AssertFailsOn("tenant-pod-security", ns);
        Assert.Equal(EnforcementLevel.Remediate, rewrite.Level);
        Assert.Contains("metadata.labels[\"pod-security.kubernetes.io/enforce\"]", rewrite.Message, StringComparison.Ordinal);
        Assert.Equal("restricted", Assert.Single(report.Resources).Inputs.StringAt("metadata.labels[\"pod-security.kubernetes.io/enforce\"]"));
        Assert.Equal("compliance/tenant-pod-security", Assert.Single(report.Remediated[ns.Urn]));
    }

    [Fact]
    public async Task Default_deny_passes_when_the_namespace_has_one_for_both_directions()
    {
        var report = await ComplianceCheck.RunAsync(Namespace(), DefaultDeny(), AllowPlatform());

        report.AssertPasses("tenant-default-deny");
    }

    [Fact]
    public async Task Default_deny_fails_a_tenant_namespace_without_one()
    {
        var ns = Namespace();

        var report = await ComplianceCheck.RunAsync(ns, AllowPlatform(), Quota(), LimitRange());

        var violation = report.AssertFailsOn("tenant-default-deny", ns);
        Assert.Contains("Ingress and Egress", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_deny_fails_when_only_ingress_is_denied_and_passes_when_config_asks_only_for_ingress()
    {
        var ns = Namespace();
        var ingressOnly = DefaultDeny().Set("spec.policyTypes", """["Ingress"]""");

        var both = await ComplianceCheck.RunAsync(ns, ingressOnly);
        var configured = await ComplianceCheck.RunAsync("""{ "compliance": { "tenant-default-deny": { "directions": ["Ingress"] } } }""", ns, ingressOnly);

        Assert.Contains("for Egress", both.AssertFailsOn("tenant-default-deny", ns).Message, StringComparison.Ordinal);
        configured.AssertPasses("tenant-default-deny");
    }

    [Fact]
    public async Task Default_deny_in_another_namespace_does_not_count()
    {
        var ns = Namespace("acme");

        var report = await ComplianceCheck.RunAsync(ns, DefaultDeny("globex"));

        report.AssertFailsOn("tenant-default-deny", ns);
    }

    [Fact]
    public async Task Quota_and_limits_pass_when_both_are_in_the_namespace()
    {
        var report = await ComplianceCheck.RunAsync(Namespace(), Quota(), LimitRange());

        report.AssertPasses("tenant-quota-and-limits");
    }

    [Fact]
    public async Task Quota_and_limits_fail_a_tenant_namespace_without_a_limit_range()
    {
        var ns = Namespace();

        var report = await ComplianceCheck.RunAsync(ns, Quota());

        Assert.Contains("no LimitRange", report.AssertFailsOn("tenant-quota-and-limits", ns).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Network_isolation_passes_policies_that_allow_platform_namespaces_and_the_tenant_itself()
    {
        var report = await ComplianceCheck.RunAsync(AllowPlatform());

        report.AssertPasses("tenant-network-isolation");
    }

    [Theory]
    [InlineData("""{}""", "other tenants' namespaces")]
    [InlineData("""{ "matchLabels": { "infra.dev/tenant": "globex" } }""", "tenant 'globex'")]
    [InlineData("""{ "matchLabels": { "kubernetes.io/metadata.name": "tenant-globex" } }""", "tenant 'globex'")]
    [InlineData("""{ "matchExpressions": [ { "key": "infra.dev/tenant", "operator": "NotIn", "values": ["acme"] } ] }""", "other tenants' namespaces")]
    [InlineData("""{ "matchExpressions": [ { "key": "infra.dev/tenant", "operator": "Exists" } ] }""", "other tenants' namespaces")]
    public async Task Network_isolation_fails_a_policy_that_selects_another_tenants_namespace(string namespaceSelector, string expected)
    {
        var policy = AllowPlatform().Set("spec.ingress[0].from[1].namespaceSelector", namespaceSelector);

        var report = await ComplianceCheck.RunAsync(policy);

        var violation = report.AssertFailsOn("tenant-network-isolation", policy);
        Assert.Contains("spec.ingress[0].from[1].namespaceSelector", violation.Message, StringComparison.Ordinal);
        Assert.Contains(expected, violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Network_isolation_checks_egress_peers_too()
    {
        var policy = AllowPlatform().Set("spec.egress[0].to[0].namespaceSelector", """{ "matchLabels": { "infra.dev/tenant": "globex" } }""");

        var report = await ComplianceCheck.RunAsync(policy);

        Assert.Contains("spec.egress[0].to[0]", report.AssertFailsOn("tenant-network-isolation", policy).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_grants_pass_a_tenant_role_on_its_own_database_and_a_platform_role_anywhere()
    {
        var backupRole = GrantConnect("acme", role: "platform_backup");

        var report = await ComplianceCheck.RunAsync(GrantConnect("acme"), backupRole);

        report.AssertPasses("tenant-database-grants");
    }

    [Fact]
    public async Task Database_grants_fail_a_tenant_role_granted_on_another_tenants_database()
    {
        var grant = GrantConnect("acme", role: "tenant_globex_app");

        var report = await ComplianceCheck.RunAsync(grant);

        var violation = report.AssertFailsOn("tenant-database-grants", grant);
        Assert.Contains("tenant 'globex'", violation.Message, StringComparison.Ordinal);
        Assert.Contains("tenant 'acme'", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_grants_fail_privileges_granted_to_public_but_pass_a_revoking_empty_grant()
    {
        var toPublic = GrantConnect("acme", role: "PUBLIC");
        var revoking = toPublic.Set("privileges", "[]");

        var granted = await ComplianceCheck.RunAsync(toPublic);
        var revoked = await ComplianceCheck.RunAsync(revoking);

        Assert.Contains("PUBLIC", granted.AssertFailsOn("tenant-database-grants", toPublic).Message, StringComparison.Ordinal);
        revoked.AssertPasses("tenant-database-grants");
    }

    [Fact]
    public async Task Database_grants_honour_a_configured_tenant_prefix()
    {
        var grant = Fixture.Resource("postgres:index:Grant", "g", """{ "role": "t_globex", "database": "t_acme", "privileges": ["CONNECT"] }""");

        var report = await ComplianceCheck.RunAsync("""{ "compliance": { "tenant-database-grants": { "tenantPrefix": "t_" } } }""", grant);

        report.AssertFailsOn("tenant-database-grants", grant);
    }

    [Fact]
    public async Task Database_owner_passes_a_tenant_database_owned_by_a_role_that_cannot_log_in_or_by_the_admin()
    {
        var ownedByAdmin = Database("globex").Set("owner", "\"postgres\"");

        var report = await ComplianceCheck.RunAsync(Database(), OwnerRole(), Role(), ownedByAdmin);

        report.AssertPasses("tenant-database-owner");
    }

    [Fact]
    public async Task Database_owner_fails_a_tenant_database_owned_by_the_tenants_login_role()
    {
        var database = Database().Set("owner", "\"tenant_acme\"");

        var report = await ComplianceCheck.RunAsync(database, OwnerRole(), Role());

        var violation = report.AssertFailsOn("tenant-database-owner", database);
        Assert.Contains("'tenant_acme', a role that can log in", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_public_connect_passes_with_a_revoke_or_an_empty_grant_to_public()
    {
        var emptyGrant = Fixture.Resource("postgres:index:Grant", "revoke-all",
            """{ "role": "public", "database": "tenant_acme", "objectType": "database", "privileges": [] }""");

        var withRevoke = await ComplianceCheck.RunAsync(Database(), RevokePublic());
        var withEmptyGrant = await ComplianceCheck.RunAsync(Database(), emptyGrant);

        withRevoke.AssertPasses("revoke-public-connect");
        withEmptyGrant.AssertPasses("revoke-public-connect");
    }

    [Fact]
    public async Task Revoke_public_connect_fails_a_database_that_keeps_the_default_grant()
    {
        var database = Database();
        var revokeElsewhere = RevokePublic("globex");
        var revokeOtherPrivilege = RevokePublic().Set("privileges", """["TEMPORARY"]""");

        var report = await ComplianceCheck.RunAsync(database, revokeElsewhere, revokeOtherPrivilege);

        Assert.Contains("postgres:index:Revoke", report.AssertFailsOn("revoke-public-connect", database).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_wait_for_values_known_only_at_apply()
    {
        var ns = Namespace().Set("metadata.labels", """{ "$unknown": true }""");
        var grant = GrantConnect("acme").Set("role", """{ "$unknown": true }""");

        var report = await ComplianceCheck.RunAsync(ns, grant);

        report.AssertPasses("tenant-pod-security");
        report.AssertPasses("tenant-database-grants");
        Assert.True(report.Resources[0].Inputs.At("metadata.labels").IsUnresolved());
    }

    [Fact]
    public async Task Kubernetes_objects_are_recognised_by_a_kubernetes_type_token_when_the_inputs_omit_apiVersion_and_kind()
    {
        var ns = Fixture.Resource("kubernetes:core/v1:Namespace", "tenant-acme", """{ "metadata": { "name": "tenant-acme" } }""");

        var report = await ComplianceCheck.RunAsync(ns);

        report.AssertFailsOn("tenant-pod-security", ns);
    }
}
