using System.Collections.Immutable;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>A role as the catalog shows it. <paramref name="StoredPassword"/> is the verifier, readable by superusers only.</summary>
internal sealed record RoleRow(string Name, bool Login, bool Inherit, int ConnectionLimit, string? StoredPassword, bool PasswordReadable);

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
