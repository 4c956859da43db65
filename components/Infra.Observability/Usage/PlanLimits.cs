namespace Infra.Observability.Usage;

/// <summary>What a plan allows a tenant's database: its size and its concurrent connections.</summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="DatabaseSizeBytes">The database size the plan includes, in bytes.</param>
/// <param name="Connections">The plan's connection limit.</param>
public sealed record PlanLimits(string Plan, long DatabaseSizeBytes, int Connections);

/// <summary>A tenant and the plan it is on.</summary>
/// <param name="TenantId">The tenant's id.</param>
/// <param name="Plan">The plan's name.</param>
public sealed record TenantAssignment(string TenantId, string Plan);
