using Infra.Providers.Postgres;

namespace Infra.Components.Database;

/// <summary>
/// Closes the databases every role on a tenant server could otherwise reach: <c>postgres</c> and <c>template1</c>
/// (PostgreSQL grants CONNECT on them, as on every database, to PUBLIC) and, when it lives on that server, the
/// platform's state database. Each gets a <c>postgres:index:Revoke</c> of CONNECT from PUBLIC, so a tenant's login
/// role can connect to its own database only. The admin (a superuser, or the owner of these databases) keeps access;
/// another role that needs one of them, such as a monitoring exporter, must be granted CONNECT on it.
/// </summary>
/// <remarks>Tenant stacks' previews warn while a server lacks these revokes (see <c>docs/security.md</c>).</remarks>
public sealed class SharedDatabases : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "infra:components:SharedDatabases";

    /// <summary>The databases every PostgreSQL server has and tenants must not reach.</summary>
    public static readonly IReadOnlyList<string> Maintenance = ["postgres", "template1"];

    private static readonly string[] s_connect = ["CONNECT"];

    /// <summary>Declares the revokes.</summary>
    /// <param name="name">The component's name.</param>
    /// <param name="stateDatabase">The state database, when it is on the same server; <see langword="null"/> otherwise.</param>
    /// <param name="options">Component options.</param>
    /// <exception cref="InfraException"><paramref name="stateDatabase"/> is not a valid database name.</exception>
    public SharedDatabases(string name, string? stateDatabase, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        if (stateDatabase is not null && PostgresNames.Problem("database", stateDatabase) is { } problem)
        {
            throw new InfraException(problem + ".");
        }

        var child = new CustomResourceOptions { Parent = this };
        foreach (var database in stateDatabase is null ? Maintenance : [.. Maintenance, stateDatabase])
        {
            _ = new Revoke($"{name}-{database}-revoke-public", new GrantArgs
            {
                Role = "PUBLIC",
                Database = database,
                ObjectType = "database",
                Privileges = s_connect,
            }, child);
        }
    }
}
