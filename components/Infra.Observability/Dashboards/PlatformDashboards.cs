using Infra.Observability.Exporter;
using Infra.Observability.Kpis;
using Infra.Observability.Slo;
using Infra.Observability.Usage;
using static Infra.Observability.Dashboards.Panel;

namespace Infra.Observability.Dashboards;

/// <summary>The platform's four dashboards: overview, per tenant, SLOs and error budgets, business KPIs.</summary>
public static class PlatformDashboards
{
    /// <summary>Nodes, the tenants' PostgreSQL server, firing alerts and drifted stacks.</summary>
    public static Dashboard Overview() => new Dashboard("platform-overview", "Platform overview", "platform")
        .Add(
            Of("Nodes up", PanelKind.Stat, "short", "sum(up{job=\"node-exporter\"})") with { Width = 6, Height = 4 },
            Of("PostgreSQL up", PanelKind.Stat, "short", "max(pg_up)") with { Width = 6, Height = 4 },
            Of("Tenants", PanelKind.Stat, "short", $"count({TenantUsageRules.TenantPlanSeries})") with { Width = 6, Height = 4 },
            Of("Firing alerts", PanelKind.Stat, "short", "count(ALERTS{alertstate=\"firing\"}) or vector(0)") with { Width = 6, Height = 4 },
            Of("Node CPU busy", PanelKind.TimeSeries, "percentunit", "1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[$__rate_interval]))", "{{instance}}"),
            Of("Node memory available", PanelKind.TimeSeries, "percentunit", "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", "{{instance}}"),
            Of("PostgreSQL connections", PanelKind.TimeSeries, "short", "sum by (instance) (pg_stat_activity_count)", "{{instance}}"),
            Of("Largest tenant databases", PanelKind.TimeSeries, "bytes", $"topk(10, {PostgresExporterQueries.SizeSeries})", "{{tenant}}"),
            Of("Drifted stacks", PanelKind.Stat, "short", "sum(infra_stack_drifted) or vector(0)") with { Width = 6, Height = 4 },
            Of("Certificates expiring in 14 days", PanelKind.Stat, "short",
                "count(certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 86400) or vector(0)") with { Width = 6, Height = 4 });

    /// <summary>One tenant's usage against its plan and its SLOs (variable <c>tenant</c>).</summary>
    public static Dashboard Tenant()
    {
        var t = $"{TenantLabels.Tenant}=\"$tenant\"";
        return new Dashboard("platform-tenant", "Tenant", "platform", "tenant")
            .With(new TemplateVariable("tenant", "Tenant", TenantUsageRules.TenantPlanSeries, TenantLabels.Tenant))
            .Add(
                Of("Database size of plan", PanelKind.Gauge, "percentunit", $"{TenantUsageRules.DatabaseSizeRatio}{{{t}}}") with { Width = 6 },
                Of("Connections of plan", PanelKind.Gauge, "percentunit", $"{TenantUsageRules.ConnectionsRatio}{{{t}}}") with { Width = 6 },
                Of("Quota use", PanelKind.TimeSeries, "percentunit", $"{TenantUsageRules.QuotaRatio}{{{t}}}", "{{resource}}"),
                Of("Database size", PanelKind.TimeSeries, "bytes", $"{PostgresExporterQueries.SizeSeries}{{{t}}}", "{{datname}}"),
                Of("Connections", PanelKind.TimeSeries, "short", $"{PostgresExporterQueries.ConnectionsSeries}{{{t}}}", "{{datname}}"),
                Of("Transactions per second", PanelKind.TimeSeries, "ops", $"rate({PostgresExporterQueries.CommitsSeries}{{{t}}}[$__rate_interval])", "{{datname}}"),
                Of("Application error ratio (1h)", PanelKind.TimeSeries, "percentunit",
                    $"{ServiceLevelObjectiveRules.ErrorRatioSeries(TimeSpan.FromHours(1))}{{slo=~\"tenant-app-.*\", {t}}}", "{{slo}}"),
                Of("Application error budget left", PanelKind.Stat, "percentunit",
                    $"{ServiceLevelObjectiveRules.RemainingBudgetSeries}{{slo=~\"tenant-app-.*\", {t}}}", "{{slo}}"));
    }

    /// <summary>Every SLO's error ratio and remaining error budget.</summary>
    public static Dashboard Slos() => new Dashboard("platform-slos", "SLOs and error budgets", "platform", "slo")
        .Add(
            Of("Error budget left (30d)", PanelKind.Stat, "percentunit", $"{ServiceLevelObjectiveRules.RemainingBudgetSeries}", "{{slo}} {{tenant}}") with { Width = 24 },
            Of("Error ratio, 1h", PanelKind.TimeSeries, "percentunit", ServiceLevelObjectiveRules.ErrorRatioSeries(TimeSpan.FromHours(1)), "{{slo}} {{tenant}}"),
            Of("Error ratio, 1d", PanelKind.TimeSeries, "percentunit", ServiceLevelObjectiveRules.ErrorRatioSeries(TimeSpan.FromDays(1)), "{{slo}} {{tenant}}"),
            Of("Burn rate, 1h (1 = spending exactly the budget)", PanelKind.TimeSeries, "short",
                $"{ServiceLevelObjectiveRules.ErrorRatioSeries(TimeSpan.FromHours(1))} / on (slo) group_left () {ServiceLevelObjectiveRules.ErrorBudgetSeries}", "{{slo}} {{tenant}}"),
            Of("Burn-rate alerts firing", PanelKind.TimeSeries, "short", "count by (alertname) (ALERTS{alertstate=\"firing\", slo!=\"\"})", "{{alertname}}"));

    /// <summary>Tenants by plan, onboardings, their success and speed, churn.</summary>
    public static Dashboard BusinessKpis() => new Dashboard("platform-business", "Business KPIs", "platform", "business")
        .Add(
            Of("Tenants by plan", PanelKind.TimeSeries, "short", BusinessKpisArgs.TenantsByPlan, "{{plan}}"),
            Of("Onboardings per day", PanelKind.TimeSeries, "short", BusinessKpisArgs.OnboardingsPerDay),
            Of("Onboarding success rate (1d)", PanelKind.Stat, "percentunit", BusinessKpisArgs.OnboardingSuccessRate) with { Width = 8 },
            Of("Time to ready, p95 (1d)", PanelKind.Stat, "s", BusinessKpisArgs.TimeToReadyP95) with { Width = 8 },
            Of("Churn (30d)", PanelKind.Stat, "percentunit", BusinessKpisArgs.Churn) with { Width = 8 });

    /// <summary>All four.</summary>
    public static IReadOnlyList<Dashboard> All() => [Overview(), Tenant(), Slos(), BusinessKpis()];
}
