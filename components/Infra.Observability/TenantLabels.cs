namespace Infra.Observability;

/// <summary>
/// The tenant names monitoring relies on, in one place. They mirror the tenant stack's conventions (namespace
/// <c>tenant-&lt;id&gt;</c>, database <c>tenant_&lt;id&gt;</c>); when <c>TenantConventions</c> lands in
/// Infra.Tenancy these point at it.
/// </summary>
public static class TenantLabels
{
    /// <summary>The label that carries the tenant's id on every per-tenant series and alert.</summary>
    public const string Tenant = "tenant";

    /// <summary>The prefix of a tenant's namespace, <c>tenant-&lt;id&gt;</c>.</summary>
    public const string NamespacePrefix = "tenant-";

    /// <summary>The prefix of a tenant's database (and role), <c>tenant_&lt;id&gt;</c>.</summary>
    public const string DatabasePrefix = "tenant_";

    /// <summary>The alert label naming a tenant's plan.</summary>
    public const string Plan = "plan";

    /// <summary>The tenant's namespace.</summary>
    public static string NamespaceOf(string tenantId) => NamespacePrefix + tenantId;

    /// <summary>The tenant's database.</summary>
    public static string DatabaseOf(string tenantId) => DatabasePrefix + tenantId;

    /// <summary>The name of the Alertmanager receiver that reaches the tenant itself.</summary>
    public static string ReceiverOf(string tenantId) => NamespacePrefix + tenantId;
}
