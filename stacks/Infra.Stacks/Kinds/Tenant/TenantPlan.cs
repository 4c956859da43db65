namespace Infra.Stacks.Kinds.Tenant;

/// <summary>One plan from <c>environments/plans.yaml</c>: quotas, backups and protection.</summary>
/// <param name="Name">The plan's name, e.g. <c>standard</c>.</param>
/// <param name="Description">What the plan is for.</param>
/// <param name="ConnectionLimit">Concurrent connections for the tenant's role and database.</param>
/// <param name="StorageGi">Storage quota in GiB (for the tenant's namespace).</param>
/// <param name="Cpu">CPU quota, a Kubernetes quantity.</param>
/// <param name="Memory">Memory quota, a Kubernetes quantity.</param>
/// <param name="BackupSchedule">Five-field cron (UTC) for backups.</param>
/// <param name="BackupRetentionDays">Days backups are kept.</param>
/// <param name="Protect">True for production plans: destroy refuses.</param>
internal sealed record TenantPlan(
    string Name, string Description, int ConnectionLimit, int StorageGi, string Cpu, string Memory, string BackupSchedule, int BackupRetentionDays, bool Protect);
