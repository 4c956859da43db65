using Infra.Policy;
using Infra.Tenancy;

namespace Infra.Policies.Compliance.TenantIsolation;

/// <summary>
/// A tenant database is not owned by a role that can log in: its owner is a platform-managed role declared with
/// <c>login: false</c> (the tenant component's <c>tenant_&lt;id&gt;_owner</c>), never the tenant's login role.
/// </summary>
/// <remarks>
/// Rationale: the owner of a database can set its settings for every session, the platform's included (a
/// <c>search_path</c> that puts its own functions ahead of the catalog's), raise its connection limit past the plan,
/// rename it, and grant CONNECT on it to anyone. A tenant's application logs in with the tenant's role and is
/// assumed hostile, so that role gets CONNECT and TEMPORARY on the database and owns its schema, but never the
/// database. Owners the stack does not declare (the admin login by default) are the platform's and pass; tenants are
/// recognised by name as in <see cref="TenantDatabaseGrants"/>.
/// </remarks>
public sealed class TenantDatabaseOwner : StackPolicy
{
    private static readonly ResourceSelector s_roles = ResourceSelector.Type(ResourceTypes.PostgresRole);

    /// <inheritdoc/>
    public override string Name => "tenant-database-owner";

    /// <inheritdoc/>
    public override string Description => "A tenant database is owned by a role that cannot log in, never by the tenant's login role.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .String("tenantPrefix", "The prefix of tenant database and role names; the tenant id follows it, up to the next '_'.", defaultValue: TenantConventions.PostgresPrefix);

    /// <inheritdoc/>
    public override void Validate(StackPolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = context.Config.GetString("tenantPrefix")!;
        var roles = context.Select(s_roles).ToList();
        foreach (var database in context.Select(ResourceSelector.Type(ResourceTypes.PostgresDatabase)))
        {
            var name = database.Inputs.StringAt("name");
            var owner = database.Inputs.StringAt("owner");
            if (name is null || owner is null || TenantConventions.TenantOfPostgresName(name, prefix) is null)
            {
                continue;
            }

            var login = roles.FirstOrDefault(r => r.Inputs.StringAt("name") == owner && r.Inputs.BoolAt("login") == true);
            if (login is not null)
            {
                context.Report(database,
                    $"tenant database '{name}' is owned by '{owner}', a role that can log in; the owner can change the database's settings and grant CONNECT on it. " +
                    $"Declare a {ResourceTypes.PostgresRole} with login: false to own it, and grant the login role CONNECT and TEMPORARY.");
            }
        }
    }
}
