using Infra.Stacks.Kinds.Tenant;

namespace Infra.Bench.Tenants;

/// <summary>
/// The tenant stack's database part alone, declared by the same code as <see cref="TenantStack"/>: the scope of the
/// raw-SQL baseline, which runs the same statements by hand and writes no manifests.
/// </summary>
internal static class TenantDatabaseOnly
{
    public static readonly StackProgram Program = StackProgram.FromDelegate(context =>
    {
        var database = TenantStack.DeclareDatabase(TenantSettings.Read(context));
        context.Export("connectionString", database.ConnectionString);
    });
}
