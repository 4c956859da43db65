using System.Globalization;
using Infra.Observability.Exporter;
using Infra.Observability.Rules;

namespace Infra.Observability.Usage;

/// <summary>
/// The tenant usage rules, in two groups:
/// <list type="bullet">
/// <item><description><c>tenant-plans</c>: each plan's limits (<c>infra:plan_database_size:bytes</c>,
/// <c>infra:plan_connections:limit</c>) and each tenant's plan (<c>infra:tenant_plan:info</c>), as constant series;</description></item>
/// <item><description><c>tenant-usage</c>: each tenant's use as a share of its plan
/// (<c>tenant:database_size:ratio</c>, <c>tenant:connections:ratio</c>, <c>tenant:quota_usage:ratio</c> per quota
/// resource) and the alerts: at 80 % a warning, at 100 % critical, for the database size, connections, and the
/// namespace's CPU, memory and pod quotas.</description></item>
/// </list>
/// The limits are the platform's (the plan), never the database's own settings, which the tenant owns and could raise.
/// </summary>
public static class TenantUsageRules
{
    /// <summary>The tenant-to-plan series.</summary>
    public const string TenantPlanSeries = "infra:tenant_plan:info";

    /// <summary>The share of its plan's database size a tenant uses.</summary>
    public const string DatabaseSizeRatio = "tenant:database_size:ratio";

    /// <summary>The share of its plan's connections a tenant uses.</summary>
    public const string ConnectionsRatio = "tenant:connections:ratio";

    /// <summary>The share of each namespace quota a tenant uses, per <c>resource</c>.</summary>
    public const string QuotaRatio = "tenant:quota_usage:ratio";

    /// <summary>The share of a limit at which the warning fires.</summary>
    public const double WarningRatio = 0.8;

    private const string PlanSize = "infra:plan_database_size:bytes";
    private const string PlanConnections = "infra:plan_connections:limit";

    /// <summary>The two groups for <paramref name="args"/>.</summary>
    /// <exception cref="ArgumentException">A tenant names a plan that is not in <c>Plans</c>.</exception>
    public static IReadOnlyList<RuleGroup> For(TenantUsageAlertsArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var plans = args.Plans.ToDictionary(static p => p.Plan, StringComparer.Ordinal);
        foreach (var tenant in args.Tenants.Where(t => !plans.ContainsKey(t.Plan)))
        {
            throw new ArgumentException($"tenant '{tenant.TenantId}' is on plan '{tenant.Plan}', which has no limits; known plans: {string.Join(", ", plans.Keys.Order(StringComparer.Ordinal))}.", nameof(args));
        }

        var constants = new List<RecordingRule>();
        foreach (var plan in args.Plans)
        {
            var label = new Dictionary<string, string> { [TenantLabels.Plan] = plan.Plan };
            constants.Add(new RecordingRule(PlanSize, $"vector({plan.DatabaseSizeBytes.ToString(CultureInfo.InvariantCulture)})", label));
            constants.Add(new RecordingRule(PlanConnections, $"vector({plan.Connections.ToString(CultureInfo.InvariantCulture)})", label));
        }

        foreach (var tenant in args.Tenants)
        {
            constants.Add(new RecordingRule(TenantPlanSeries, "vector(1)", new Dictionary<string, string> { [TenantLabels.Tenant] = tenant.TenantId, [TenantLabels.Plan] = tenant.Plan }));
        }

        return [new RuleGroup("tenant-plans", constants, []), Usage()];
    }

    private static RuleGroup Usage()
    {
        var tenant = TenantLabels.Tenant;
        string OfPlan(string limit) => $"({TenantPlanSeries} * on ({TenantLabels.Plan}) group_left () {limit})";
        var recordings = new[]
        {
            new RecordingRule(DatabaseSizeRatio, $"max by ({tenant}) ({PostgresExporterQueries.SizeSeries}) / on ({tenant}) group_left ({TenantLabels.Plan}) {OfPlan(PlanSize)}"),
            new RecordingRule(ConnectionsRatio, $"max by ({tenant}) ({PostgresExporterQueries.ConnectionsSeries}) / on ({tenant}) group_left ({TenantLabels.Plan}) {OfPlan(PlanConnections)}"),
            new RecordingRule(QuotaRatio, $"""
                label_replace(
                  max by (namespace, resource) (kube_resourcequota{"{"}namespace=~"{TenantLabels.NamespacePrefix}.+", type="used"{"}"})
                  / max by (namespace, resource) (kube_resourcequota{"{"}namespace=~"{TenantLabels.NamespacePrefix}.+", type="hard"{"}"} > 0),
                  "{tenant}", "$1", "namespace", "{TenantLabels.NamespacePrefix}(.+)")
                """),
        };

        var alerts = new List<AlertRule>();
        alerts.AddRange(Pair("TenantDatabaseSize", DatabaseSizeRatio, "database_size", TimeSpan.FromMinutes(15), "database", "database size", "NearLimit", "OverLimit"));
        alerts.AddRange(Pair("TenantConnections", ConnectionsRatio, "connections", TimeSpan.FromMinutes(5), "database", "concurrent connections", "NearLimit", "AtLimit"));
        alerts.AddRange(Pair("TenantCpuQuota", $"{QuotaRatio}{{resource=~\"requests.cpu|limits.cpu\"}}", "cpu", TimeSpan.FromMinutes(15), "namespace", "CPU quota ({{ $labels.resource }})", "NearLimit", "Exhausted"));
        alerts.AddRange(Pair("TenantMemoryQuota", $"{QuotaRatio}{{resource=~\"requests.memory|limits.memory\"}}", "memory", TimeSpan.FromMinutes(15), "namespace", "memory quota ({{ $labels.resource }})", "NearLimit", "Exhausted"));
        alerts.AddRange(Pair("TenantPodQuota", $"{QuotaRatio}{{resource=\"pods\"}}", "pods", TimeSpan.FromMinutes(15), "namespace", "pod quota", "NearLimit", "Exhausted"));
        return new RuleGroup("tenant-usage", recordings, alerts);
    }

    // A warning from 80 % up to (not including) 100 %, and a critical alert from 100 %: one notification per level.
    private static IEnumerable<AlertRule> Pair(string stem, string ratio, string usage, TimeSpan wait, string where, string what, string near, string over)
    {
        var labels = new Dictionary<string, string> { ["usage"] = usage };
        var warning = WarningRatio.ToString("R", CultureInfo.InvariantCulture);
        yield return new AlertRule(
            stem + near,
            $"{ratio} >= {warning} < 1",
            AlertSeverity.Warning,
            $"Tenant {{{{ $labels.tenant }}}} uses over 80% of its plan's {what}",
            $"The {where} of tenant {{{{ $labels.tenant }}}} uses 80% or more of the {what} its plan includes.")
        {
            For = wait,
            Labels = labels,
        };
        yield return new AlertRule(
            stem + over,
            $"{ratio} >= 1",
            AlertSeverity.Critical,
            $"Tenant {{{{ $labels.tenant }}}} has reached its plan's {what}",
            $"The {where} of tenant {{{{ $labels.tenant }}}} uses all of the {what} its plan includes, or more.")
        {
            For = wait,
            Labels = labels,
        };
    }
}
