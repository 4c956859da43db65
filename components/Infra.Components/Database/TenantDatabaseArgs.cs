namespace Infra.Components.Database;

/// <summary>Args for <see cref="TenantDatabase"/>; plain values, because they come from the tenant's config and plan.</summary>
public sealed record TenantDatabaseArgs
{
    /// <summary>The tenant id (<see cref="Infra.Tenancy.TenantConventions.IdRule"/>).</summary>
    public required string TenantId { get; init; }

    /// <summary>Concurrent connections the tenant may hold, for its role and its database.</summary>
    public required int ConnectionLimit { get; init; }

    /// <summary>The application schema, owned by the tenant's role; default <c>app</c>.</summary>
    public string SchemaName { get; init; } = Infra.Tenancy.TenantConventions.AppSchema;

    /// <summary>When backups run, in UTC (<see cref="Infra.Tenancy.TenantConventions.ScheduleRule"/>).</summary>
    public required string BackupSchedule { get; init; }

    /// <summary>How many days backups are kept.</summary>
    public required int BackupRetentionDays { get; init; }

    /// <summary>Protect the database and the role, so destroy refuses and nothing replaces them.</summary>
    public bool Protect { get; init; }
}
