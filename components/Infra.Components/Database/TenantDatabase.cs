using Infra.Providers.Infra;
using Infra.Providers.Postgres;
using Infra.Providers.Random;
using Infra.Tenancy;

namespace Infra.Components.Database;

/// <summary>
/// One database per tenant, isolated at the database level: the database <c>tenant_&lt;id&gt;</c> belongs to a
/// platform-managed role <c>tenant_&lt;id&gt;_owner</c> that cannot log in; the tenant's login role
/// <c>tenant_&lt;id&gt;</c>, with a random (secret) password, owns the application schema. CONNECT (and TEMPORARY) is
/// revoked from PUBLIC, then granted to the tenant's role only; the plan's connection limit applies to both the
/// login role and the database. The backup schedule is declared as data (<c>infra:index:BackupSchedule</c>).
/// </summary>
/// <remarks>
/// The tenant controls everything inside its database, but not the database itself: not owning it, its role cannot
/// set the database's settings (a <c>search_path</c> for the platform's sessions, a connection limit), rename it or
/// grant CONNECT on it to anyone. Stacks from before the owner role move their database to it on the next up, in
/// place (<c>ALTER DATABASE … OWNER TO</c>, which keeps the tenant's CONNECT and TEMPORARY).
/// </remarks>
/// <example>
/// <code>
/// var db = new TenantDatabase("acme", new TenantDatabaseArgs
/// {
///     TenantId = "acme", ConnectionLimit = 20, BackupSchedule = "0 3 * * *", BackupRetentionDays = 14,
/// });
/// context.Export("connectionString", db.ConnectionString);
/// </code>
/// </example>
public sealed class TenantDatabase : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "infra:components:TenantDatabase";

    private static readonly string[] s_connectPrivileges = ["CONNECT", "TEMPORARY"];

    /// <summary>Declares the tenant's database, role, grants, schema and backup schedule.</summary>
    /// <exception cref="InfraException">The tenant id is invalid (nothing is declared, so no SQL can run).</exception>
    public TenantDatabase(string name, TenantDatabaseArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        ArgumentNullException.ThrowIfNull(args);
        var tenant = TenantConventions.IdProblem(args.TenantId) is { } problem ? throw new InfraException($"{ErrorText.Quote(args.TenantId)} {problem}.") : args.TenantId;
        var child = new CustomResourceOptions { Parent = this };
        var kept = child with { Protect = args.Protect };

        var password = new RandomPassword($"{name}-password", new RandomPasswordArgs { Length = 32, Special = false }, child);
        var owner = new Role($"{name}-owner", new RoleArgs { Name = TenantConventions.OwnerRoleName(tenant), Login = false }, kept);
        var role = new Role($"{name}-role", new RoleArgs
        {
            Name = TenantConventions.RoleName(tenant),
            Login = true,
            Password = password.Result,
            ConnectionLimit = args.ConnectionLimit,
        }, kept);
        var database = new Providers.Postgres.Database($"{name}-database", new DatabaseArgs
        {
            Name = TenantConventions.DatabaseName(tenant),
            Owner = owner.RoleName,
            Encoding = "UTF8",
            ConnectionLimit = args.ConnectionLimit,
        }, kept with { DependsOn = [role] }); // dropped before the tenant's role, which owns objects in it
        var revokePublic = new Revoke($"{name}-revoke-public", new GrantArgs
        {
            Role = "PUBLIC",
            Database = database.DatabaseName,
            ObjectType = "database",
            Privileges = s_connectPrivileges,
        }, child);
        _ = new Grant($"{name}-connect", new GrantArgs
        {
            Role = role.RoleName,
            Database = database.DatabaseName,
            ObjectType = "database",
            Privileges = s_connectPrivileges,
        }, child with { DependsOn = [revokePublic] });
        var schema = new Schema($"{name}-schema", new SchemaArgs
        {
            Name = args.SchemaName,
            Database = database.DatabaseName,
            Owner = role.RoleName,
            // The schema goes only when the tenant goes, and then its tables go with it.
            DropCascade = true,
        }, child);
        _ = new BackupSchedule($"{name}-backup", new BackupScheduleArgs
        {
            Tenant = tenant,
            Database = database.DatabaseName,
            Schedule = args.BackupSchedule,
            RetentionDays = args.BackupRetentionDays,
        }, child);

        Host = database.Host;
        Port = database.Port;
        DatabaseName = database.DatabaseName;
        User = role.RoleName;
        SchemaName = schema.SchemaName;
        Password = password.Result;
        var endpoint = Output.Tuple<string, int, string>(Host, Port, DatabaseName);
        ConnectionString = Output.Tuple<(string, int, string), string, string>(endpoint, User, Password)
            .Apply(static t => ConnectionStrings.Url(t.Item1.Item1, t.Item1.Item2, t.Item1.Item3, t.Item2, t.Item3));
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["host"] = Host,
            ["port"] = Port,
            ["database"] = DatabaseName,
            ["user"] = User,
            ["schema"] = SchemaName,
            ["password"] = Password,
            ["connectionString"] = ConnectionString,
        });
    }

    /// <summary>The server's host.</summary>
    public Output<string> Host { get; }

    /// <summary>The server's port.</summary>
    public Output<int> Port { get; }

    /// <summary>The tenant's database.</summary>
    public Output<string> DatabaseName { get; }

    /// <summary>The tenant's login role.</summary>
    public Output<string> User { get; }

    /// <summary>The application schema.</summary>
    public Output<string> SchemaName { get; }

    /// <summary>The role's password (secret).</summary>
    public Output<string> Password { get; }

    /// <summary><c>postgresql://user:password@host:port/database</c> (secret, because it holds the password).</summary>
    public Output<string> ConnectionString { get; }
}
