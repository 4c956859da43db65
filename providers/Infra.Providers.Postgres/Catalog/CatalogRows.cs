using System.Collections.Immutable;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>A role as the catalog shows it.</summary>
/// <param name="Name">The role's name.</param>
/// <param name="Login">Whether it can log in.</param>
/// <param name="Inherit">Whether it inherits the privileges of the roles it is a member of.</param>
/// <param name="ConnectionLimit">Its connection limit, -1 for none.</param>
/// <param name="StoredPassword">The stored verifier, readable by superusers only.</param>
/// <param name="PasswordReadable">Whether <paramref name="StoredPassword"/> was readable.</param>
/// <param name="Privileged">The attributes beyond a plain role it holds (<c>SUPERUSER</c>, <c>CREATEROLE</c>, <c>CREATEDB</c>,
/// <c>REPLICATION</c>, <c>BYPASSRLS</c>), none of which the provider ever declares.</param>
/// <param name="MemberOf">The roles it is a member of.</param>
/// <param name="Members">The roles that are members of it (who may act as it).</param>
internal sealed record RoleRow(
    string Name, bool Login, bool Inherit, int ConnectionLimit, string? StoredPassword, bool PasswordReadable,
    ImmutableArray<string> Privileged, ImmutableArray<string> MemberOf, ImmutableArray<string> Members);

/// <summary>An object with an owner and an access list: grantee (a role or <c>PUBLIC</c>) to privileges.</summary>
internal sealed record AclObject(string Owner, ImmutableDictionary<string, ImmutableHashSet<string>> Grants)
{
    /// <summary>The privileges <paramref name="grantee"/> holds directly on the object.</summary>
    public ImmutableHashSet<string> PrivilegesOf(string grantee) =>
        Grants.TryGetValue(grantee, out var set) ? set : ImmutableHashSet<string>.Empty;
}

/// <summary>A database with its settings and access list.</summary>
internal sealed record DatabaseRow(string Name, string Encoding, int ConnectionLimit, AclObject Acl);

/// <summary>An installed extension.</summary>
internal sealed record ExtensionRow(string Name, string Version, string Schema);

/// <summary>The key of a default-privileges entry: whose new objects, in which schema ('' for all), of which kind.</summary>
internal sealed record DefaultAclKey(string Owner, string Schema, string ObjectType);
