namespace Infra.Providers.Postgres;

/// <summary>Args for <see cref="Role"/>.</summary>
public sealed record RoleArgs
{
    /// <summary>The role name; changing it replaces the role.</summary>
    public required Input<string> Name { get; init; }

    /// <summary>True for a login role (a user); default false.</summary>
    public Input<bool>? Login { get; init; }

    /// <summary>The password (kept secret); sent to the server as a SCRAM verifier.</summary>
    public Input<string>? Password { get; init; }

    /// <summary>Concurrent connections allowed; -1 (the default) for no limit.</summary>
    public Input<int>? ConnectionLimit { get; init; }

    /// <summary>Whether the role inherits the privileges of roles it is a member of; default true.</summary>
    public Input<bool>? Inherit { get; init; }

    /// <summary>The exact set of roles it is a member of, e.g. <c>pg_monitor</c>; default none.</summary>
    public InputList<string>? MemberOf { get; init; }
}

/// <summary>A role or login user (<c>postgres:index:Role</c>).</summary>
public sealed class Role : CustomResource
{
    /// <summary>Declares a role.</summary>
    public Role(string name, RoleArgs args, CustomResourceOptions? options = null)
        : base(PostgresTypes.Role, name, args, options)
    {
    }

    /// <summary>The role name.</summary>
    public Output<string> RoleName => GetOutput<string>("name");

    /// <summary>The declared password (secret).</summary>
    public Output<string> Password => GetOutput<string>("password");
}
