using Infra.Components.Database;
using Infra.Stacks.Kinds.Tenant;

namespace Infra.Bench.Tenants;

/// <summary>
/// The tenant stack's database part alone, declared exactly as <see cref="TenantStack"/> declares it: the scope of
/// the raw-SQL baseline, which runs the same statements by hand and writes no manifests.
/// </summary>
internal static class TenantDatabaseOnly
{
    public static readonly StackProgram Program = StackProgram.FromDelegate(context =>
    {
        var tenant = TenantSettings.Read(context);
        var plan = tenant.Plan;
        var database = new TenantDatabase(tenant.Id, new TenantDatabaseArgs
        {
            TenantId = tenant.Id,
            ConnectionLimit = plan.ConnectionLimit,
            BackupSchedule = plan.BackupSchedule,
            BackupRetentionDays = plan.BackupRetentionDays,
            Protect = plan.Protect,
        });
        context.Export("connectionString", database.ConnectionString);
    });
}
