using Infra.Policies.Compliance;
using Infra.Policy;

namespace Infra.Policies.Tests.Support;

/// <summary>Runs the built-in compliance pack over fixtures, the way a preview would.</summary>
internal static class ComplianceCheck
{
    public static Task<PolicyReport> RunAsync(params PolicyResource[] resources) => RunAsync("{}", resources);

    public static Task<PolicyReport> RunAsync(string settingsJson, params PolicyResource[] resources) =>
        PolicyPackSet.Of(new CompliancePack())
            .CreateEnforcer(Fixture.Stack, PolicySettings.FromJson(settingsJson))
            .EvaluateAsync(resources);

    /// <summary>The violations of one policy.</summary>
    public static List<PolicyViolation> Of(this PolicyReport report, string policy) =>
        [.. report.Violations.Where(v => v.Policy == policy)];

    /// <summary>Asserts the policy found nothing, showing what it found otherwise.</summary>
    public static void AssertPasses(this PolicyReport report, string policy)
    {
        var found = report.Of(policy);
        Assert.True(found.Count == 0, $"{policy} reported: {string.Join(" | ", found.Select(v => v.Message))}");
    }

    /// <summary>Asserts the policy reported exactly one violation on <paramref name="resource"/>, and returns it.</summary>
    public static PolicyViolation AssertFailsOn(this PolicyReport report, string policy, PolicyResource? resource)
    {
        var found = report.Of(policy);
        var violation = Assert.Single(found);
        Assert.Equal(resource?.Urn, violation.Urn);
        Assert.False(violation.IsPolicyError, violation.Message);
        Assert.Equal(CompliancePack.PackName, violation.Pack);
        Assert.Equal("1.0.0", violation.PackVersion);
        return violation;
    }
}
