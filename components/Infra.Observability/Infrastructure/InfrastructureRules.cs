using System.Globalization;
using Infra.Observability.Rules;

namespace Infra.Observability.Infrastructure;

/// <summary>The infrastructure alerts, in groups <c>nodes</c>, <c>postgres</c>, <c>certificates</c> and <c>stacks</c>.</summary>
public static class InfrastructureRules
{
    /// <summary>The drift gauge the scheduled refresh exports, 1 for a stack whose resources differ from its code.</summary>
    public const string DriftSeries = "infra_stack_drifted";

    /// <summary>The groups for <paramref name="args"/>.</summary>
    public static IReadOnlyList<RuleGroup> For(InfrastructureAlertsArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return
        [
            new RuleGroup("nodes", [], [
                new AlertRule("NodeDown", $"up{{job=\"{args.NodeExporterJob}\"}} == 0", AlertSeverity.Critical,
                    "Node {{ $labels.instance }} is down",
                    "node-exporter on {{ $labels.instance }} has not answered scrapes for 5 minutes: the node is down or unreachable.")
                { For = TimeSpan.FromMinutes(5) },
                new AlertRule("NodeFilesystemSpaceLow",
                    "node_filesystem_avail_bytes{fstype!~\"tmpfs|overlay|squashfs\"} / node_filesystem_size_bytes{fstype!~\"tmpfs|overlay|squashfs\"} < 0.1",
                    AlertSeverity.Warning,
                    "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has less than 10% space left",
                    "Less than 10% of {{ $labels.mountpoint }} on {{ $labels.instance }} is free; writes fail when it fills.")
                { For = TimeSpan.FromMinutes(15) },
                new AlertRule("NodeMemoryPressure", "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.1", AlertSeverity.Warning,
                    "Node {{ $labels.instance }} has less than 10% memory available",
                    "Pods on {{ $labels.instance }} risk eviction or the OOM killer.")
                { For = TimeSpan.FromMinutes(15) },
            ]),
            new RuleGroup("postgres", [], [
                new AlertRule("PostgresDown", "pg_up == 0", AlertSeverity.Critical,
                    "PostgreSQL behind {{ $labels.instance }} is down",
                    "postgres_exporter cannot connect to the tenants' PostgreSQL server: every tenant database is unreachable.")
                { For = TimeSpan.FromMinutes(1) },
                new AlertRule("PostgresTooManyConnections",
                    $"sum by (instance) (pg_stat_activity_count) / on (instance) max by (instance) (pg_settings_max_connections) > {Number(args.PostgresConnectionsRatio)}",
                    AlertSeverity.Warning,
                    "PostgreSQL behind {{ $labels.instance }} uses over 90% of max_connections",
                    "Soon no tenant and no admin job can connect to the server.")
                { For = TimeSpan.FromMinutes(5) },
                new AlertRule("PostgresDeadlocks", "increase(pg_stat_database_deadlocks[5m]) > 0", AlertSeverity.Warning,
                    "Deadlocks in database {{ $labels.datname }}",
                    "PostgreSQL aborted transactions in {{ $labels.datname }} to break deadlocks in the last 5 minutes.")
                { For = TimeSpan.Zero },
            ]),
            new RuleGroup("certificates", [], [
                new AlertRule("CertificateExpiringSoon",
                    $"certmanager_certificate_expiration_timestamp_seconds - time() < {Seconds(args.CertificateWarning)}", AlertSeverity.Warning,
                    "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than 14 days",
                    "cert-manager renews 30 days ahead by default, so a certificate this close to expiry failed to renew.")
                { For = TimeSpan.FromHours(1) },
                new AlertRule("CertificateExpiryImminent",
                    $"certmanager_certificate_expiration_timestamp_seconds - time() < {Seconds(args.CertificateCritical)}", AlertSeverity.Critical,
                    "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than 3 days",
                    "When it expires, clients refuse TLS to the hosts it covers.")
                { For = TimeSpan.FromMinutes(10) },
            ]),
            new RuleGroup("stacks", [], [
                new AlertRule("StackDrifted", $"{DriftSeries} == 1", AlertSeverity.Warning,
                    "Stack {{ $labels.stack }} drifted from its code",
                    "The scheduled refresh found resources of stack {{ $labels.stack }} changed outside infra.")
                { For = TimeSpan.FromMinutes(30) },
            ]),
        ];
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
