namespace Infra.Tenants.Tests.Support;

/// <summary>How many resources one tenant stack declares, by part, so expected counts say where they come from.</summary>
public static class TenantStackShape
{
    /// <summary>The TenantDatabase component, its password, owner role, login role, database, revoke, grant, schema and backup schedule.</summary>
    public const int Database = 9;

    /// <summary>The TenantNamespace component, the namespace, quota, limit range, 6 network policies (deny, DNS, ingress controller, monitoring scrapes, tracing, the database), service account, role and role binding (the tier's priority class is the platform stack's).</summary>
    public const int Namespace = 13;

    /// <summary>The database credentials Secret and the platform application's release.</summary>
    public const int Application = 2;

    /// <summary>What runs the backups: the CronJob of 'infra tenant backup' and the Velero Schedule of the namespace.</summary>
    public const int BackupRunners = 2;

    public const int Resources = Database + Namespace + Application + BackupRunners;
}
