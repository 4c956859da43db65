using Infra.Providers.Postgres;
using Npgsql;

namespace Infra.Backups;

/// <summary>Everything backup and restore need to know about a tenant stack, read from its config and outputs.</summary>
/// <param name="Stack">The tenant's stack.</param>
/// <param name="TenantId">The tenant id.</param>
/// <param name="Database">The tenant's database.</param>
/// <param name="Role">The tenant's login role, which owns a database restored under a new name.</param>
/// <param name="Location">The folder backups are written to.</param>
/// <param name="Admin">The admin connection the tools connect with.</param>
public sealed record TenantBackupTarget(string Stack, string TenantId, string Database, string Role, string Location, NpgsqlConnectionStringBuilder Admin)
{
    /// <summary>The database server's host.</summary>
    public string Host => PostgresNames.HostOf(Admin);
}
