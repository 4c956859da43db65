namespace Infra.Stacks.Kinds.Platform.Values;

/// <summary>
/// kube-prometheus-stack: Prometheus, Alertmanager, Grafana, node-exporter and kube-state-metrics. Prometheus and
/// Alertmanager select rules, monitors and routing only from the shared layer's namespaces, which tenants cannot write.
/// </summary>
internal sealed record KubePrometheusStackValues(
    AlertmanagerValues Alertmanager,
    PrometheusValues Prometheus,
    GrafanaValues Grafana,
    Toggle NodeExporter,
    Toggle KubeStateMetrics);

/// <summary>An on/off switch.</summary>
internal sealed record Toggle(bool Enabled);

/// <summary>The Alertmanager.</summary>
internal sealed record AlertmanagerValues(AlertmanagerSpec AlertmanagerSpec);

/// <summary>
/// The Alertmanager's spec. <c>alertmanagerConfigMatcherStrategy: None</c>: the operator would otherwise add a
/// <c>namespace="monitoring"</c> matcher to every route of an AlertmanagerConfig, and tenant alerts, which carry their
/// tenant's namespace or none, would never match a tenant's route.
/// </summary>
internal sealed record AlertmanagerSpec(
    LabelSelector AlertmanagerConfigSelector,
    LabelSelector AlertmanagerConfigNamespaceSelector,
    MatcherStrategy AlertmanagerConfigMatcherStrategy,
    int Replicas);

/// <summary>How the operator scopes AlertmanagerConfig routes.</summary>
internal sealed record MatcherStrategy(string Type);

/// <summary>A Kubernetes label selector.</summary>
internal sealed record LabelSelector(Dictionary<string, string>? MatchLabels = null, IReadOnlyList<LabelRequirement>? MatchExpressions = null);

/// <summary>One requirement of a label selector.</summary>
internal sealed record LabelRequirement(string Key, string Operator);

/// <summary>Prometheus.</summary>
internal sealed record PrometheusValues(PrometheusSpec PrometheusSpec);

/// <summary>
/// What Prometheus selects: rules, ServiceMonitors and PodMonitors labelled for the release, from the shared layer's
/// namespaces only (labelled <c>infra.dev/platform</c>, which tenants cannot set); and how long it keeps samples.
/// </summary>
internal sealed record PrometheusSpec(
    string Retention,
    LabelSelector RuleSelector,
    LabelSelector RuleNamespaceSelector,
    LabelSelector ServiceMonitorSelector,
    LabelSelector ServiceMonitorNamespaceSelector,
    LabelSelector PodMonitorSelector,
    LabelSelector PodMonitorNamespaceSelector);

/// <summary>Grafana: dashboards from ConfigMaps labelled <c>grafana_dashboard: "1"</c>, and the Tempo data source.</summary>
internal sealed record GrafanaValues(GrafanaSidecar Sidecar, IReadOnlyList<GrafanaDataSource> AdditionalDataSources);

/// <summary>Grafana's sidecars.</summary>
internal sealed record GrafanaSidecar(DashboardSidecar Dashboards);

/// <summary>The dashboard sidecar: which ConfigMaps it loads, and from where.</summary>
internal sealed record DashboardSidecar(bool Enabled, string Label, string LabelValue, string SearchNamespace);

/// <summary>An extra Grafana data source.</summary>
internal sealed record GrafanaDataSource(string Name, string Type, string Uid, string Url, string Access, Dictionary<string, object> JsonData);

/// <summary>prometheus-postgres-exporter: per-tenant database series from the tenants' server.</summary>
internal sealed record PostgresExporterValues(PostgresExporterConfig Config, ServiceMonitorValues ServiceMonitor);

/// <summary>
/// The exporter's connection (a Secret holding the whole DSN, which pins <c>search_path=pg_catalog</c>) and its
/// custom per-database queries.
/// </summary>
internal sealed record PostgresExporterConfig(SecretKeyRef DatasourceSecret, bool AutoDiscoverDatabases, string Queries);

/// <summary>A key of a Secret.</summary>
internal sealed record SecretKeyRef(string Name, string Key);
