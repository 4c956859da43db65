using System.Text.RegularExpressions;

namespace Infra.Observability.Slo;

/// <summary>
/// An SLO: the share of good events (<see cref="Indicator"/>) that <see cref="Service"/> promises over
/// <see cref="Window"/>. Its rules (<see cref="ServiceLevelObjectiveRules"/>) record the error ratio per window and the
/// remaining error budget, and alert on fast (page) and slow (ticket) burns.
/// </summary>
public sealed partial record ServiceLevelObjectiveArgs : Rules.IRuleSource
{
    private readonly string _name = string.Empty;
    private readonly double _target;

    /// <summary>The SLO's name, e.g. <c>onboarding-api-availability</c>; the <c>slo</c> label of its series and alerts.</summary>
    /// <exception cref="ArgumentException">It is not lower-case letters, digits and '-'.</exception>
    public required string Name
    {
        get => _name;
        init => _name = NamePattern().IsMatch(value) ? value
            : throw new ArgumentException($"SLO name '{value}' must be lower-case letters, digits and '-', starting with a letter.", nameof(Name));
    }

    /// <summary>The service the promise is about; the <c>service</c> label.</summary>
    public required string Service { get; init; }

    /// <summary>What counts as good, and what counts at all.</summary>
    public required ServiceLevelIndicator Indicator { get; init; }

    /// <summary>The objective, a ratio strictly between 0 and 1, e.g. 0.999.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is not.</exception>
    public required double Target
    {
        get => _target;
        init => _target = value is > 0 and < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(Target), value, $"SLO target must be a ratio strictly between 0 and 1, e.g. 0.999.");
    }

    /// <summary>The compliance window; the burn rates are calibrated for 30 days.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Labels the SLO is kept per, e.g. <c>tenant</c> for a per-tenant SLO; empty for one SLO for the service.</summary>
    public IReadOnlyList<string> By { get; init; } = [];

    /// <summary>One sentence: what the user experiences when it is missed.</summary>
    public required string Description { get; init; }

    /// <summary>The error budget: the share of events allowed to be bad, <c>1 - Target</c>.</summary>
    public double ErrorBudget => 1 - Target;

    /// <summary>True when the SLO is kept per tenant (its alerts route to the tenant).</summary>
    public bool PerTenant => By.Contains(TenantLabels.Tenant, StringComparer.Ordinal);

    /// <summary>The name in PascalCase, the stem of its alert names: <c>OnboardingApiAvailability</c>.</summary>
    public string PascalName => string.Concat(Name.Split('-').Select(static p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <inheritdoc/>
    public string RuleSetName => $"slo-{Name}";

    /// <inheritdoc/>
    public IReadOnlyList<Rules.RuleGroup> RuleGroups() => [ServiceLevelObjectiveRules.For(this)];

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
