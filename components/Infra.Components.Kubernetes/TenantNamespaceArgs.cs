using Infra.Tenancy;

namespace Infra.Components.Kubernetes;

/// <summary>Args for <see cref="TenantNamespace"/>.</summary>
public sealed record TenantNamespaceArgs
{
    /// <summary>The tenant id; the namespace is <c>tenant-&lt;id&gt;</c> (<see cref="Infra.Tenancy.TenantConventions.NamespaceOf"/>).</summary>
    public required string TenantId { get; init; }

    /// <summary>The namespace's size: the quota and limits, and the tier that picks the priority class.</summary>
    public required NamespaceSize Size { get; init; }

    /// <summary>The identity-provider group whose members administer the tenant's namespace.</summary>
    public required Input<string> AdminGroup { get; init; }

    /// <summary>The tenant database's address as a CIDR (e.g. <c>10.20.0.15/32</c>): the only database egress allowed.</summary>
    public required Input<string> DatabaseCidr { get; init; }

    /// <summary>The tenant database's port; default 5432.</summary>
    public Input<int>? DatabasePort { get; init; }

    /// <summary>The ingress controller's namespace, allowed to reach the tenant's pods; default <c>ingress-nginx</c>.</summary>
    public string IngressNamespace { get; init; } = PlatformNamespaces.Ingress;

    /// <summary>The monitoring namespace, allowed to scrape the tenant's pods; default <c>monitoring</c>.</summary>
    public string MonitoringNamespace { get; init; } = PlatformNamespaces.Monitoring;

    /// <summary>The namespace whose OpenTelemetry Collector the tenant's pods may send traces to (OTLP ports only).</summary>
    public string TracingNamespace { get; init; } = PlatformNamespaces.Tracing;

    /// <summary>The port monitoring scrapes; default 8080.</summary>
    public int MetricsPort { get; init; } = 8080;

    /// <summary>The Pod Security Standards version pinned on the namespace labels; default <c>v1.34</c>.</summary>
    public string PodSecurityVersion { get; init; } = "v1.34";

    /// <summary>
    /// Protect the Namespace (production tenants). Everything inside it depends on it, so destroy keeps the whole
    /// namespace (quota, limits, network policies, roles) rather than stripping its isolation from a running tenant.
    /// </summary>
    public bool Protect { get; init; }
}
