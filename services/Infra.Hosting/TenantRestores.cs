using System.Globalization;
using Infra.Automation;
using Infra.Backups;
using Infra.Providers.Postgres;
using Infra.Values;

namespace Infra.Hosting;

/// <summary>
/// Restores a tenant's backup for a host. A copy under a new name is recorded in the tenant stack's state as an
/// artifact (<see cref="CreatedBy"/>), not as a program resource: <c>up</c> leaves it alone, <c>destroy</c> drops it
/// before anything else (and keeps it when it keeps the tenant's database, protected), and <c>stack export</c> shows it
/// with the backup it came from.
/// </summary>
public static class TenantRestores
{
    /// <summary>The artifact mark of a restored copy in state.</summary>
    public const string CreatedBy = "tenant restore";

    /// <summary>The resource name a copy restored into <paramref name="database"/> has in state: <c>restored-&lt;database&gt;</c>.</summary>
    public static string ResourceName(string database) => $"restored-{database}";

    /// <summary>Restores into the tenant's database (<paramref name="into"/> null) or into a new, recorded copy; returns the database restored.</summary>
    /// <exception cref="InfraException">The backup or the new name is refused, the stack is locked, or a tool failed; nothing was restored.</exception>
    public static async Task<string> RestoreAsync(WorkspaceStack stack, TenantBackupTarget target, string from, string? into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(target);
        if (into is null)
        {
            return await TenantBackups.RestoreAsync(target, from, null, cancellationToken).ConfigureAwait(false);
        }

        if (PostgresNames.Problem("database", into) is { } problem)
        {
            throw new InfraException($"the database to restore into: {problem}; nothing was restored.");
        }

        var inputs = PropertyMap.CreateBuilder()
            .Add("name", PropertyValue.Create(into))
            .Add("owner", PropertyValue.Create(target.OwnerRole))
            .Add("encoding", PropertyValue.Create("UTF8"))
            .Add("connectionLimit", PropertyValue.Create(-1))
            .ToPropertyMap();
        // The copy belongs with the tenant's database: a destroy that keeps that database (protected plans) keeps it too.
        var snapshot = await stack.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var tenantDatabase = snapshot.Resources.FirstOrDefault(r => r.Type == PostgresTypes.Database && r.Id == target.Database && !r.IsArtifact && !r.PendingDelete);
        var spec = new ArtifactSpec(PostgresTypes.Database, ResourceName(into), into, CreatedBy, inputs)
        {
            DependsOn = tenantDatabase is null ? [] : [tenantDatabase.Urn],
        };
        await stack.CreateArtifactAsync(spec, async token =>
        {
            var copy = await TenantBackups.RestoreCopyAsync(target, from, into, token).ConfigureAwait(false);
            return inputs
                .SetItem("restoredFrom", PropertyValue.Create(copy.Backup))
                .SetItem("backupCreated", PropertyValue.Create(copy.BackupCreated.ToString("O", CultureInfo.InvariantCulture)));
        }, cancellationToken).ConfigureAwait(false);
        return into;
    }
}
