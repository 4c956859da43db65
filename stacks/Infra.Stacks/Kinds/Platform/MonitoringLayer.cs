using Infra.Components.Database;
using Infra.Observability;
using Infra.Observability.Alerting;
using Infra.Observability.Components;
using Infra.Observability.Exporter;
using Infra.Observability.Usage;
using Infra.Providers.Helm;
using Infra.Providers.Kubernetes;
using Infra.Providers.Postgres;
using Infra.Providers.Random;
using Infra.Stacks.Kinds.Platform.Values;
using Infra.Tenancy;
using static Infra.Stacks.Kinds.Platform.PlatformObjects;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// Monitoring: kube-prometheus-stack, the platform's rules, dashboards and alert routing
/// (<see cref="PlatformMonitoring"/>, with the plans' limits and the project's tenants), a PodMonitor that scrapes every
/// tenant's application and labels its series with the tenant, and postgres_exporter with the per-tenant queries.
/// </summary>
internal static class MonitoringLayer
{
    /// <summary>The Secret holding the exporter's whole DSN.</summary>
    public const string ExporterSecret = "postgres-exporter-dsn";

    /// <summary>The key of the DSN in <see cref="ExporterSecret"/>.</summary>
    public const string ExporterSecretKey = "data-source-name";

    /// <summary>
    /// The login role postgres_exporter signs in as: a member of <c>pg_monitor</c> (statistics and sizes of every
    /// database) and of nothing else, never the admin. <c>scripts/monitoring.sh</c> makes the same role locally.
    /// </summary>
    public const string ExporterRole = "infra_monitor";

    // PostgreSQL's predefined role that may read every statistics view and database size.
    private static readonly string[] s_monitorRoles = ["pg_monitor"];
    private static readonly string[] s_connect = ["CONNECT"];

    /// <summary>The PodMonitor of the tenants' applications.</summary>
    public const string TenantScrape = "tenant-apps";

    /// <summary>
    /// Declares monitoring; returns kube-prometheus-stack, whose CRDs the other layers' monitors need. postgres_exporter
    /// needs its DSN in a Secret, which GitOps mode seals with <c>kubernetes:sealedSecretsCert</c>: the controller that
    /// issues that certificate comes up with this stack, so until it is set the exporter waits (output
    /// <c>postgresExporter</c> says so) and everything else comes up.
    /// </summary>
    public static HelmRelease Declare(StackContext context, PlatformSettings settings, PlatformReleases releases, KubernetesObject monitoringNamespace)
    {
        var placement = MonitoringPlacement.Default;
        var releaseLabel = new Dictionary<string, string>(placement.Labels);
        var platformNamespaces = new LabelSelector(MatchExpressions: [new LabelRequirement(PlatformNamespaces.RoleLabel, "Exists")]);
        var selected = new LabelSelector(MatchLabels: new Dictionary<string, string> { ["release"] = placement.Labels["release"] });
        var stack = releases.Declare("kube-prometheus-stack", new KubePrometheusStackValues(
            new AlertmanagerValues(new AlertmanagerSpec(selected, platformNamespaces, new MatcherStrategy("None"), Replicas: 2)),
            new PrometheusValues(new PrometheusSpec("30d", selected, platformNamespaces, selected, platformNamespaces, selected, platformNamespaces)),
            new GrafanaValues(
                new GrafanaSidecar(new DashboardSidecar(true, GrafanaDashboards.SidecarLabel, "1", placement.Namespace)),
                [new GrafanaDataSource("Tempo", "tempo", "tempo", $"http://tempo.{PlatformNamespaces.Tracing}.svc:3200", "proxy",
                    new Dictionary<string, object> { ["serviceMap"] = new Dictionary<string, object> { ["datasourceUid"] = "prometheus" } })]),
            new Toggle(true),
            new Toggle(true)));

        var after = new ComponentResourceOptions { DependsOn = [monitoringNamespace, stack] };
        _ = new PlatformMonitoring("monitoring", new PlatformMonitoringArgs
        {
            Usage = new TenantUsageAlertsArgs
            {
                Plans = [.. settings.Plans.Values.Select(static p => new PlanLimits(p.Name, p.DatabaseSizeBytes, p.ConnectionLimit))],
                Tenants = [.. settings.Tenants.Select(static t => new TenantAssignment(t.Id, t.Plan.Name))],
            },
            Routing = new AlertRoutingArgs
            {
                Operators = new WebhookReceiver(settings.OperatorsWebhook),
                Tenants = [.. settings.TenantWebhooks.Select(static t => new TenantReceiver(t.Id, new WebhookReceiver(t.Webhook)))],
            },
        }, placement, after);

        DeclareObject("tenant-apps-scrape", TenantAppsPodMonitor(releaseLabel), new CustomResourceOptions { DependsOn = [monitoringNamespace, stack] });

        var canSeal = context.Config.Get("kubernetes:sealedSecretsCert") is not null || context.Config.Get("kubernetes:mode") == "cluster";
        var admin = context.Config.Keys.Contains("postgres:connectionString") ? context.Config.RevealSecret("postgres:connectionString") : null;
        context.ExportValue("postgresExporter", admin is null ? "off: postgres:connectionString is not set"
            : canSeal ? "on" : "waiting: set kubernetes:sealedSecretsCert to the Sealed Secrets controller's certificate, then up again");
        if (admin is not null && canSeal)
        {
            var password = new RandomPassword("postgres-exporter-password", new RandomPasswordArgs { Length = 32, Special = false });
            var role = new Role("postgres-exporter-role", new RoleArgs
            {
                Name = ExporterRole,
                Login = true,
                Password = password.Result,
                ConnectionLimit = 5,
                MemberOf = s_monitorRoles,
            });
            // The platform revokes CONNECT on postgres from PUBLIC (SharedDatabases); the exporter's role gets it back.
            var connect = new Grant("postgres-exporter-connect", new GrantArgs
            {
                Role = role.RoleName,
                Database = "postgres",
                ObjectType = "database",
                Privileges = s_connect,
            });
            var secret = new KubernetesSecret("postgres-exporter-dsn", new KubernetesSecretArgs
            {
                Name = ExporterSecret,
                Namespace = placement.Namespace,
                StringData = new InputMap<string> { [ExporterSecretKey] = Output.CreateSecret(password.Result.Apply(p => ExporterDsn(admin, ExporterRole, p))) },
            }, new CustomResourceOptions { DependsOn = [monitoringNamespace, role, connect] });
            releases.Declare("prometheus-postgres-exporter", new PostgresExporterValues(
                new PostgresExporterConfig(new SecretKeyRef(ExporterSecret, ExporterSecretKey), AutoDiscoverDatabases: false, PostgresExporterQueries.Yaml()),
                new ServiceMonitorValues(true, releaseLabel)), stack, secret);
        }

        return stack;
    }

    /// <summary>
    /// The exporter's DSN, a libpq URL to the admin connection's server and its <c>postgres</c> database, as
    /// <paramref name="user"/>, with <c>search_path</c> pinned to <c>pg_catalog</c>: the queries read catalogs only and
    /// never resolve a name a tenant created.
    /// </summary>
    public static string ExporterDsn(string adminConnection, string user, string password)
    {
        var builder = PostgresNames.ParseConnectionString(adminConnection);
        var host = PostgresNames.HostOf(builder);
        var url = ConnectionStrings.Url(host, builder.Port, "postgres", user, password);
        var mode = builder.SslMode switch
        {
            Npgsql.SslMode.Disable => "disable",
            Npgsql.SslMode.VerifyCA => "verify-ca",
            Npgsql.SslMode.VerifyFull => "verify-full",
            _ when PostgresNames.IsLocal(host) => "disable",
            _ => "require",
        };
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return $"{(query < 0 ? url : url[..query])}?sslmode={mode}&{PostgresExporterQueries.SearchPathParameter}";
    }

    // One PodMonitor for every tenant's application. The tenant label comes from the namespace, which the platform
    // names, never from a pod label or a series the tenant controls: honorLabels is off, so a tenant's own 'tenant'
    // label is kept as exported_tenant and cannot pose as another tenant.
    private static Dictionary<string, object?> TenantAppsPodMonitor(IReadOnlyDictionary<string, string> labels) =>
        Manifest("monitoring.coreos.com/v1", "PodMonitor", TenantScrape, PlatformNamespaces.Monitoring, labels,
            ("spec", Map(
                ("namespaceSelector", Map(("any", true))),
                ("selector", Map(("matchLabels", Map(("app.kubernetes.io/name", "platform"))))),
                ("podMetricsEndpoints", new object[]
                {
                    Map(
                        ("port", "http"),
                        ("path", "/metrics"),
                        ("interval", "30s"),
                        ("honorLabels", false),
                        ("relabelings", new object[]
                        {
                            Map(("sourceLabels", new object[] { "__meta_kubernetes_namespace" }), ("regex", $"{TenantConventions.NamespacePrefix}.+"), ("action", "keep")),
                            Map(("sourceLabels", new object[] { "__meta_kubernetes_namespace" }), ("regex", $"{TenantConventions.NamespacePrefix}(.+)"),
                                ("targetLabel", TenantConventions.MetricLabel), ("replacement", "$1"), ("action", "replace")),
                        })),
                }))));
}
