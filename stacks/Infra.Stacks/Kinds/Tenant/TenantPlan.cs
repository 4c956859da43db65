using Infra.Components.Kubernetes;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>One plan from <c>environments/plans.yaml</c>: the database's limits, backups and protection, the namespace's size, the application's size and its feature flags.</summary>
/// <param name="Name">The plan's name, e.g. <c>standard</c>; also the tier of its PriorityClass <c>tenant-&lt;name&gt;</c>.</param>
/// <param name="Description">What the plan is for.</param>
/// <param name="ConnectionLimit">Concurrent connections for the tenant's role and database.</param>
/// <param name="DatabaseSize">The database size the plan includes, a quantity such as <c>1Gi</c>; monitoring alerts on it (PostgreSQL cannot cap it).</param>
/// <param name="BackupSchedule">When backups run, in UTC (<see cref="Infra.Tenancy.TenantConventions.IsSchedule"/>).</param>
/// <param name="BackupRetentionDays">Days backups are kept.</param>
/// <param name="Protect">True for production plans: destroy refuses.</param>
/// <param name="Namespace">The namespace's quota, container limits and priority.</param>
/// <param name="App">The platform application's replicas and per-pod resources.</param>
/// <param name="Features">Feature flags for the application, sorted by name.</param>
/// <param name="LogRetentionDays">Days the tenant's logs are kept (<c>logs.retentionDays</c>): the ILM policy of its data stream.</param>
/// <param name="Production">True for plans that serve production: releases need an analysis step and a disruption
/// budget (compliance), and a blue-green release waits for <c>infra tenant promote</c>.</param>
/// <param name="ReleaseStrategy">How the application is released by default (<c>rolling</c> or <c>blueGreen</c>); config <c>tenant:releaseStrategy</c> overrides it.</param>
internal sealed record TenantPlan(
    string Name,
    string Description,
    int ConnectionLimit,
    string DatabaseSize,
    string BackupSchedule,
    int BackupRetentionDays,
    bool Protect,
    NamespaceSize Namespace,
    AppSize App,
    IReadOnlyDictionary<string, bool> Features,
    int LogRetentionDays = TenantPlan.DefaultLogRetentionDays,
    bool Production = false,
    string ReleaseStrategy = "rolling")
{
    /// <summary>Days logs are kept when the plan names none.</summary>
    public const int DefaultLogRetentionDays = 7;

    /// <summary>The database size the plan includes, in bytes.</summary>
    public long DatabaseSizeBytes => (long)(Quantity.TryParse(DatabaseSize) ?? 0);
}

/// <summary>The platform application's size on a plan.</summary>
/// <param name="Replicas">Pods of the application.</param>
/// <param name="Requests">Each pod's requests.</param>
/// <param name="Limits">Each pod's limits.</param>
internal sealed record AppSize(int Replicas, ComputeResources Requests, ComputeResources Limits);

/// <summary>A CPU and a memory quantity in Kubernetes notation (<c>250m</c>, <c>1Gi</c>).</summary>
internal sealed record ComputeResources(string Cpu, string Memory);
