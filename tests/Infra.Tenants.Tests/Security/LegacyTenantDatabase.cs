using Infra.Components.Database;
using Infra.Providers.Infra;
using Infra.Providers.Postgres;
using Infra.Providers.Random;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// The tenant database as stacks declared it before the platform-managed owner role: the tenant's login role owned
/// its database. Same component type, names and arguments as <see cref="TenantDatabase"/>, so a stack brought up
/// with it has the state an existing tenant has, and the migration to today's component is what their next up does.
/// </summary>
internal sealed class LegacyTenantDatabase : ComponentResource
{
    private static readonly string[] s_connectPrivileges = ["CONNECT", "TEMPORARY"];

    public LegacyTenantDatabase(string name, TenantDatabaseArgs args)
        : base(TenantDatabase.TypeToken, name)
    {
        var child = new CustomResourceOptions { Parent = this };
        var kept = child with { Protect = args.Protect };
        var password = new RandomPassword($"{name}-password", new RandomPasswordArgs { Length = 32, Special = false }, child);
        var role = new Role($"{name}-role", new RoleArgs
        {
            Name = $"tenant_{args.TenantId}",
            Login = true,
            Password = password.Result,
            ConnectionLimit = args.ConnectionLimit,
        }, kept);
        var database = new Database($"{name}-database", new DatabaseArgs
        {
            Name = $"tenant_{args.TenantId}",
            Owner = role.RoleName,
            Encoding = "UTF8",
            ConnectionLimit = args.ConnectionLimit,
        }, kept);
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
        _ = new Schema($"{name}-schema", new SchemaArgs { Name = args.SchemaName, Database = database.DatabaseName, Owner = role.RoleName, DropCascade = true }, child);
        _ = new BackupSchedule($"{name}-backup", new BackupScheduleArgs
        {
            Tenant = args.TenantId,
            Database = database.DatabaseName,
            Schedule = args.BackupSchedule,
            RetentionDays = args.BackupRetentionDays,
        }, child);
        User = role.RoleName;
        Password = password.Result;
        RegisterOutputs(new Dictionary<string, object?> { ["user"] = User, ["password"] = Password });
    }

    public Output<string> User { get; }

    public Output<string> Password { get; }
}
