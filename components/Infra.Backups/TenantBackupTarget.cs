using System.Text;
using Infra.Providers.Postgres;
using Npgsql;

namespace Infra.Backups;

/// <summary>Everything backup and restore need to know about a tenant stack, read from its config and outputs.</summary>
/// <param name="Stack">The tenant's stack.</param>
/// <param name="TenantId">The tenant id.</param>
/// <param name="Database">The tenant's database.</param>
/// <param name="Role">The tenant's login role: restores run as it, with the tenant's rights and no more.</param>
/// <param name="RolePassword">The login role's password (a secret output of the stack).</param>
/// <param name="OwnerRole">The platform role that owns the tenant's database, and every copy restored under a new name.</param>
/// <param name="Location">The folder backups are written to.</param>
/// <param name="Admin">The admin connection: dumps run as it, and it creates the database a copy is restored into.</param>
/// <param name="ManifestKey">The key that authenticates manifests (<see cref="ManifestKeys"/>).</param>
public sealed record TenantBackupTarget(
    string Stack, string TenantId, string Database, string Role, string RolePassword, string OwnerRole, string Location,
    NpgsqlConnectionStringBuilder Admin, byte[] ManifestKey)
{
    /// <summary>The database server's host.</summary>
    public string Host => PostgresNames.HostOf(Admin);

    // The password, the key and the admin connection never reach a log through ToString.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Stack = {Stack}, TenantId = {TenantId}, Database = {Database}, Role = {Role}, Location = {Location}");
        return true;
    }
}
