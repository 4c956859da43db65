using Infra.Policy;
using Infra.Tenancy;

namespace Infra.Policies.Compliance.TenantIsolation;

/// <summary>
/// No postgres grant gives one tenant's role access to another tenant's database, and nothing on a tenant
/// database is granted to <c>PUBLIC</c>.
/// </summary>
/// <remarks>
/// <para>Rationale: a database per tenant isolates tenants only if their roles stay inside their own database.
/// A single cross-tenant grant (or a grant to <c>PUBLIC</c>, which every role belongs to) exposes one tenant's data
/// to another, and nothing at the Kubernetes level would notice.</para>
/// <para>Tenants are recognised by name: databases and roles named <c>tenant_&lt;id&gt;</c> or
/// <c>tenant_&lt;id&gt;_&lt;suffix&gt;</c> (config <c>tenantPrefix</c>). Platform roles (no prefix), such as a backup role,
/// may be granted on tenant databases. A grant with <c>privileges: []</c> revokes, and always passes.</para>
/// </remarks>
public sealed class TenantDatabaseGrants : ResourcePolicy
{
    /// <inheritdoc/>
    public override string Name => "tenant-database-grants";

    /// <inheritdoc/>
    public override string Description => "No postgres grant gives a tenant's role, or PUBLIC, access to another tenant's database.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .String("tenantPrefix", "The prefix of tenant database and role names; the tenant id follows it, up to the next '_'.", defaultValue: TenantConventions.PostgresPrefix);

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } = ResourceSelector.Type(ResourceTypes.PostgresGrant, ResourceTypes.PostgresDefaultPrivileges);

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = context.Config.GetString("tenantPrefix")!;
        var role = context.Inputs.StringAt("role");
        var database = context.Inputs.StringAt("database");
        var privileges = context.Inputs.At("privileges");
        if (role is null || database is null || privileges.IsUnresolved() || TenantConventions.TenantOfPostgresName(database, prefix) is not { } databaseTenant)
        {
            return;
        }

        var granted = context.Inputs.ArrayAt("privileges").Select(static p => p.TryGetString(out var s) ? s : "?").ToList();
        if (granted.Count == 0)
        {
            return; // an empty grant revokes
        }

        if (string.Equals(role, "public", StringComparison.OrdinalIgnoreCase))
        {
            context.Report($"grants {string.Join(", ", granted)} on tenant database '{database}' to PUBLIC, which every other tenant's role belongs to; grant to the tenant's own role instead.");
        }
        else if (TenantConventions.TenantOfPostgresName(role, prefix) is { } roleTenant && roleTenant != databaseTenant)
        {
            context.Report($"gives role '{role}' of tenant '{roleTenant}' access to database '{database}' of tenant '{databaseTenant}'; a tenant's roles may only be granted on its own database.");
        }
    }
}
