using Infra.Policy;

namespace Infra.Policies.Compliance.TenantIsolation;

/// <summary>
/// Every database revokes <c>CONNECT</c> from <c>PUBLIC</c>: the stack declares a <c>postgres:index:Revoke</c>
/// <c>{ role: PUBLIC, database, objectType: database, privileges: [CONNECT] }</c> (or <c>ALL</c>), or an equivalent
/// <c>postgres:index:Grant</c> to <c>PUBLIC</c> with <c>privileges: []</c>.
/// </summary>
/// <remarks>
/// Rationale: PostgreSQL grants <c>CONNECT</c> on every new database to <c>PUBLIC</c>, that is to every role on the
/// server, including every other tenant's login role. Until it is revoked, the only barrier between tenants is
/// table-level privileges, and one default privilege or a public schema is enough to leak data.
/// </remarks>
public sealed class RevokePublicConnect : StackPolicy
{
    private static readonly ResourceSelector s_revokes = ResourceSelector.Type(ResourceTypes.PostgresRevoke, ResourceTypes.PostgresGrant);

    /// <inheritdoc/>
    public override string Name => "revoke-public-connect";

    /// <inheritdoc/>
    public override string Description => "Every database revokes CONNECT from PUBLIC, so only the roles granted it can connect.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override void Validate(StackPolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var revokes = context.Select(s_revokes).ToList();
        foreach (var database in context.Select(ResourceSelector.Type(ResourceTypes.PostgresDatabase)))
        {
            if (database.Inputs.At("name").IsUnresolved())
            {
                continue;
            }

            var name = database.Inputs.StringAt("name") ?? database.Name;
            if (!revokes.Any(r => MayRevokeConnect(r, name)))
            {
                context.Report(database,
                    $"database '{name}' does not revoke CONNECT from PUBLIC, so every role on the server can connect to it; declare a {ResourceTypes.PostgresRevoke} " +
                    $"{{ role: PUBLIC, database: {name}, objectType: database, privileges: [CONNECT] }}.");
            }
        }
    }

    /// <summary>True when <paramref name="resource"/> revokes CONNECT on <paramref name="database"/> from PUBLIC, or may once its unknowns resolve.</summary>
    private static bool MayRevokeConnect(PolicyResource resource, string database)
    {
        var inputs = resource.Inputs;
        if (!inputs.IsFullyKnown)
        {
            return Matches(inputs.At("role"), "public") && Matches(inputs.At("database"), database);
        }

        if (!string.Equals(inputs.StringAt("role"), "public", StringComparison.OrdinalIgnoreCase) || inputs.StringAt("database") != database ||
            (inputs.StringAt("objectType") is { } objectType && !string.Equals(objectType, "database", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var privileges = inputs.ArrayAt("privileges").Select(static p => p.TryGetString(out var s) ? s.ToUpperInvariant() : string.Empty).ToList();
        return resource.Type == ResourceTypes.PostgresGrant
            ? inputs.At("privileges") is not null && privileges.Count == 0
            : privileges.Any(static p => p is "CONNECT" or "ALL" or "ALL PRIVILEGES");
    }

    private static bool Matches(Values.PropertyValue? value, string expected) =>
        value.IsUnresolved() || (value is not null && value.TryGetString(out var text) && string.Equals(text, expected, StringComparison.OrdinalIgnoreCase));
}
