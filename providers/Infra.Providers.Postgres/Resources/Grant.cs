namespace Infra.Providers.Postgres;

/// <summary>Args for <see cref="Grant"/> and <see cref="Revoke"/>.</summary>
public sealed record GrantArgs
{
    /// <summary>The grantee: a role, or <c>PUBLIC</c>.</summary>
    public required Input<string> Role { get; init; }

    /// <summary>The database the object is (or is in).</summary>
    public required Input<string> Database { get; init; }

    /// <summary><c>database</c> (the default), <c>schema</c> or <c>table</c>.</summary>
    public Input<string>? ObjectType { get; init; }

    /// <summary>The schema, for schema and table grants.</summary>
    public Input<string>? Schema { get; init; }

    /// <summary>For table grants: these tables; unset for every table in the schema (those that exist when applied).</summary>
    public InputList<string>? Objects { get; init; }

    /// <summary>The privileges, e.g. <c>CONNECT</c>, <c>USAGE</c>, <c>SELECT</c>, or <c>ALL</c>. For a grant, <c>[]</c> revokes everything.</summary>
    public required InputList<string> Privileges { get; init; }
}

/// <summary>
/// The exact set of privileges a role holds on a database, a schema or tables (<c>postgres:index:Grant</c>):
/// missing ones are granted, others revoked.
/// </summary>
public sealed class Grant : CustomResource
{
    /// <summary>Declares a grant.</summary>
    public Grant(string name, GrantArgs args, CustomResourceOptions? options = null)
        : base(PostgresTypes.Grant, name, args, options)
    {
    }
}

/// <summary>
/// Privileges a role must not hold (<c>postgres:index:Revoke</c>), e.g. <c>CONNECT</c> on a database from
/// <c>PUBLIC</c>. Granting one back by hand shows as drift, and the next up revokes it again.
/// </summary>
public sealed class Revoke : CustomResource
{
    /// <summary>Declares a revoke.</summary>
    public Revoke(string name, GrantArgs args, CustomResourceOptions? options = null)
        : base(PostgresTypes.Revoke, name, args, options)
    {
    }
}
