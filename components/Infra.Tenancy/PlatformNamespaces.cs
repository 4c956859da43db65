namespace Infra.Tenancy;

/// <summary>
/// The namespaces of the shared layer that the platform stack declares, in one place: the platform stack creates
/// them, and each tenant's NetworkPolicies admit exactly the ingress controller's and the monitoring namespace by
/// these names (the <c>kubernetes.io/metadata.name</c> label the API server sets, and the platform stack writes too).
/// </summary>
public static class PlatformNamespaces
{
    /// <summary>Cluster services every tenant relies on: cert-manager and the Sealed Secrets controller.</summary>
    public const string Platform = "platform";

    /// <summary>The ingress controller, the only namespace that may reach a tenant's pods on their service ports.</summary>
    public const string Ingress = "ingress-nginx";

    /// <summary>Prometheus, Alertmanager, Grafana and the exporters; the only namespace that may scrape a tenant.</summary>
    public const string Monitoring = "monitoring";

    /// <summary>Elasticsearch, Kibana and Fluent Bit.</summary>
    public const string Logging = "logging";

    /// <summary>The OpenTelemetry Collector and Tempo.</summary>
    public const string Tracing = "tracing";

    /// <summary>The label naming the namespace, which NetworkPolicies select namespaces by.</summary>
    public const string NameLabel = "kubernetes.io/metadata.name";

    /// <summary>The label marking a namespace of the shared layer; its value is the namespace's role.</summary>
    public const string RoleLabel = "infra.dev/platform";
}
