using Infra.Automation;
using Infra.Backups;
using Infra.Backups.Storage;
using Infra.Providers.Infra;

namespace Infra.Hosting;

/// <summary>
/// One tenant stack as fleet-wide jobs (<c>tenant backup --all</c>, <c>dr drill --tenants</c>) see it: ready, with
/// its backup target, store and retention; skipped, with a note (it has no live database); or broken, with the error.
/// </summary>
/// <param name="Stack">The stack.</param>
/// <param name="Target">The backup target when the stack is ready.</param>
/// <param name="Store">Where its backups are, when the stack is ready.</param>
/// <param name="RetentionDays">The plan's <c>backup.retentionDays</c> as the stack's state records it, if any.</param>
/// <param name="Skipped">Why the stack is skipped, or <see langword="null"/>.</param>
/// <param name="Error">Why the stack cannot be handled (bad config, server unreachable), or <see langword="null"/>.</param>
public sealed record TenantStackEntry(
    string Stack, TenantBackupTarget? Target, IBackupStore? Store, int? RetentionDays, string? Skipped, string? Error);

/// <summary>Finds every tenant stack of a workspace (<c>infra:kind: tenant</c>) and what fleet-wide jobs can do with it.</summary>
public static class TenantFleet
{
    /// <summary>The workspace's tenant stacks, by name; other kinds of stack are left out.</summary>
    public static async Task<IReadOnlyList<TenantStackEntry>> ListAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var entries = new List<TenantStackEntry>();
        foreach (var summary in (await workspace.ListStacksAsync(cancellationToken).ConfigureAwait(false)).OrderBy(static s => s.Name, StringComparer.Ordinal))
        {
            var stack = await workspace.SelectStackAsync(summary.Name, cancellationToken).ConfigureAwait(false);
            if (stack.GetConfig().Get(StackKinds.KindKey) != "tenant")
            {
                continue;
            }

            entries.Add(await ResolveAsync(stack, cancellationToken).ConfigureAwait(false));
        }

        return entries;
    }

    private static async Task<TenantStackEntry> ResolveAsync(WorkspaceStack stack, CancellationToken cancellationToken)
    {
        try
        {
            var target = await TenantBackupTargets.ResolveAsync(stack, cancellationToken).ConfigureAwait(false);
            if (!await StoredTenantBackups.DatabaseExistsAsync(target, cancellationToken).ConfigureAwait(false))
            {
                return new TenantStackEntry(stack.Name, null, null, null, $"its database '{target.Database}' does not exist on the server", null);
            }

            return new TenantStackEntry(stack.Name, target, TenantBackupTargets.OpenStore(stack), await RetentionDaysAsync(stack, cancellationToken).ConfigureAwait(false), null, null);
        }
        catch (MissingOutputException)
        {
            return new TenantStackEntry(stack.Name, null, null, null, "it has no live database (never brought up, or destroyed)", null);
        }
        catch (Exception ex) when (ex is InfraException or Npgsql.NpgsqlException)
        {
            return new TenantStackEntry(stack.Name, null, null, null, null, ex.Message);
        }
    }

    /// <summary>
    /// The tenant's own login, from its stack's outputs (<c>databaseUser</c>, <c>databasePassword</c>), on the admin
    /// connection's server: what runs inside a tenant's database for the platform runs with these rights.
    /// </summary>
    /// <exception cref="MissingOutputException">The stack has not been brought up.</exception>
    public static async Task<Npgsql.NpgsqlConnectionStringBuilder> TenantLoginAsync(WorkspaceStack stack, TenantBackupTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(target);
        var outputs = (await stack.GetOutputsAsync(cancellationToken).ConfigureAwait(false)).RevealAll();
        return new Npgsql.NpgsqlConnectionStringBuilder(target.Admin.ConnectionString)
        {
            Username = outputs.GetString("databaseUser") ?? throw new MissingOutputException(stack.Name, "databaseUser"),
            Password = outputs.GetString("databasePassword") ?? throw new MissingOutputException(stack.Name, "databasePassword"),
        };
    }

    /// <summary>The retention the stack's backup schedule (its plan's <c>backup.retentionDays</c>) records in state.</summary>
    public static async Task<int?> RetentionDaysAsync(WorkspaceStack stack, CancellationToken cancellationToken)
    {
        var snapshot = await stack.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var schedule = snapshot.Resources.FirstOrDefault(static r => r.Type == InfraProvider.BackupScheduleType && !r.PendingDelete);
        return schedule?.Inputs.GetValueOrDefault("retentionDays") is { } value && value.TryGetNumber(out var days) && days >= 1 ? (int)days : null;
    }
}
