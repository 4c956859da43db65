using Infra.Observability.Rules;

namespace Infra.Observability.Kpis;

/// <summary>
/// The business KPIs as recording rules (group <c>business-kpis</c>), from the onboarding service's metrics and the
/// tenant-to-plan series of <see cref="Components.TenantUsageAlerts"/>.
/// </summary>
public sealed record BusinessKpisArgs : IRuleSource
{
    /// <summary>Tenants per plan: <c>infra:tenants:count</c> by <c>plan</c>.</summary>
    public const string TenantsByPlan = "infra:tenants:count";

    /// <summary>Onboardings that finished in the last day, any result.</summary>
    public const string OnboardingsPerDay = "infra:onboardings:increase1d";

    /// <summary>The share of onboardings of the last day that succeeded.</summary>
    public const string OnboardingSuccessRate = "infra:onboarding_success:ratio1d";

    /// <summary>The 95th percentile of the time from sign-up to a ready tenant, over the last day, in seconds.</summary>
    public const string TimeToReadyP95 = "infra:onboarding_time_to_ready_seconds:p95_1d";

    /// <summary>Tenants offboarded in the last 30 days as a share of today's tenants.</summary>
    public const string Churn = "infra:tenant_churn:ratio30d";

    /// <inheritdoc/>
    public string RuleSetName => "business-kpis";

    /// <inheritdoc/>
    public IReadOnlyList<RuleGroup> RuleGroups() =>
    [
        new RuleGroup("business-kpis",
        [
            new RecordingRule(TenantsByPlan, $"count by ({TenantLabels.Plan}) ({Usage.TenantUsageRules.TenantPlanSeries})"),
            new RecordingRule(OnboardingsPerDay, "sum(increase(onboarding_onboardings_total[1d]))"),
            new RecordingRule(OnboardingSuccessRate,
                "sum(increase(onboarding_onboardings_total{result=\"succeeded\"}[1d])) / sum(increase(onboarding_onboardings_total[1d]))"),
            new RecordingRule(TimeToReadyP95, "histogram_quantile(0.95, sum by (le) (rate(onboarding_time_to_ready_seconds_bucket[1d])))"),
            new RecordingRule(Churn,
                $"sum(increase(onboarding_offboardings_total[30d])) / clamp_min(count({Usage.TenantUsageRules.TenantPlanSeries}), 1)"),
        ], [])
        {
            Interval = TimeSpan.FromMinutes(5),
        },
    ];
}
