namespace Infra.Providers.Postgres;

/// <summary>Args for <see cref="DefaultPrivileges"/>.</summary>
public sealed record DefaultPrivilegesArgs
{
    /// <summary>The grantee: a role, or <c>PUBLIC</c>.</summary>
    public required Input<string> Role { get; init; }

    /// <summary>The database the rule applies in.</summary>
    public required Input<string> Database { get; init; }

    /// <summary>The role whose future objects the rule covers.</summary>
    public required Input<string> Owner { get; init; }

    /// <summary>Only objects created in this schema; unset for every schema.</summary>
    public Input<string>? Schema { get; init; }

    /// <summary><c>table</c>, <c>sequence</c>, <c>function</c>, <c>type</c> or <c>schema</c>.</summary>
    public required Input<string> ObjectType { get; init; }

    /// <summary>The privileges the grantee gets on each new object.</summary>
    public required InputList<string> Privileges { get; init; }
}

/// <summary>Privileges granted automatically on objects a role creates later (<c>postgres:index:DefaultPrivileges</c>).</summary>
public sealed class DefaultPrivileges : CustomResource
{
    /// <summary>Declares default privileges.</summary>
    public DefaultPrivileges(string name, DefaultPrivilegesArgs args, CustomResourceOptions? options = null)
        : base(PostgresTypes.DefaultPrivileges, name, args, options)
    {
    }
}
