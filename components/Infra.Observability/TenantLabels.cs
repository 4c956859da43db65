using Infra.Tenancy;

namespace Infra.Observability;

/// <summary>
/// The tenant names monitoring relies on. The names themselves belong to <see cref="TenantConventions"/> (the metric
/// and alert label <c>tenant</c>, namespace <c>tenant-&lt;id&gt;</c>, database <c>tenant_&lt;id&gt;</c>); this class
/// adds only what is monitoring's own: the plan label and the tenant's Alertmanager receiver.
/// </summary>
public static class TenantLabels
{
    /// <summary>The label that carries the tenant's id on every per-tenant series and alert (<see cref="TenantConventions.MetricLabel"/>).</summary>
    public const string Tenant = TenantConventions.MetricLabel;

    /// <summary>The prefix of a tenant's namespace (<see cref="TenantConventions.NamespacePrefix"/>).</summary>
    public const string NamespacePrefix = TenantConventions.NamespacePrefix;

    /// <summary>The prefix of a tenant's database and role (<see cref="TenantConventions.PostgresPrefix"/>).</summary>
    public const string DatabasePrefix = TenantConventions.PostgresPrefix;

    /// <summary>The alert label naming a tenant's plan.</summary>
    public const string Plan = "plan";

    /// <summary>The tenant's namespace.</summary>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is not a tenant id.</exception>
    public static string NamespaceOf(string tenantId) => TenantConventions.NamespaceOf(tenantId);

    /// <summary>The tenant's database.</summary>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is not a tenant id.</exception>
    public static string DatabaseOf(string tenantId) => TenantConventions.DatabaseName(tenantId);

    /// <summary>The name of the Alertmanager receiver that reaches the tenant itself: its namespace's name.</summary>
    /// <exception cref="ArgumentException"><paramref name="tenantId"/> is not a tenant id.</exception>
    public static string ReceiverOf(string tenantId) => TenantConventions.NamespaceOf(tenantId);
}
