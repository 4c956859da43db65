using System.Collections.Immutable;
using Infra.Policy;

namespace Infra.Policies;

/// <summary>What a set of packs found in a stack's resources (see <see cref="PolicyEnforcer.EvaluateAsync"/> and <see cref="PlanPolicyRunner"/>).</summary>
/// <param name="Stack">The stack.</param>
/// <param name="Resources">The resources checked, with inputs as remediated.</param>
/// <param name="Violations">Every violation, remediations (level <see cref="EnforcementLevel.Remediate"/>) and policy errors included.</param>
/// <param name="Remediated">For each URN whose inputs were rewritten, the <c>pack/policy</c> names that rewrote them.</param>
public sealed record PolicyReport(
    string Stack,
    ImmutableArray<PolicyResource> Resources,
    ImmutableArray<PolicyViolation> Violations,
    ImmutableDictionary<string, ImmutableArray<string>> Remediated)
{
    /// <summary>True when a mandatory violation (a policy error included) would stop preview and up: exit code 3.</summary>
    public bool HasMandatoryViolations => Violations.Any(static v => v.Level == EnforcementLevel.Mandatory);

    /// <summary>True when a policy threw instead of deciding.</summary>
    public bool HasPolicyErrors => Violations.Any(static v => v.IsPolicyError);

    /// <summary>
    /// Violations grouped by resource for human output, in resource order; stack-wide violations (no URN) come last
    /// under the key <see langword="null"/>.
    /// </summary>
    public IEnumerable<IGrouping<string?, PolicyViolation>> ByResource()
    {
        var order = Resources.Select(static (r, i) => (r.Urn, i)).ToDictionary(static p => p.Urn, static p => p.i, StringComparer.Ordinal);
        return Violations
            .GroupBy(static v => v.Urn)
            .OrderBy(g => g.Key is null ? int.MaxValue : order.GetValueOrDefault(g.Key, int.MaxValue - 1))
            .ThenBy(static g => g.Key, StringComparer.Ordinal);
    }
}
