using Infra.Automation;
using Infra.Backups;
using Infra.Components.Database;
using Infra.Providers.Postgres;

namespace Infra.Hosting;

/// <summary>Reads a tenant stack's backup target from its config and outputs.</summary>
public static class TenantBackupTargets
{
    /// <summary>Reads the target; every missing or wrong setting is one line naming the key.</summary>
    /// <exception cref="ConfigException">A setting is missing or wrong.</exception>
    public static async Task<TenantBackupTarget> ResolveAsync(WorkspaceStack stack, CancellationToken cancellationToken)
    {
        var config = stack.GetConfig();
        var settings = config.Settings.Path;
        var kind = config.Get(StackKinds.KindKey);
        if (kind != "tenant")
        {
            throw new ConfigException(settings, StackKinds.KindKey, $"is '{kind ?? "(unset)"}'; tenant backup and restore work on tenant stacks only.");
        }

        var id = config.Get("tenant:id");
        if (TenantIds.Problem(id) is { } problem)
        {
            throw new ConfigException(settings, "tenant:id", problem + ".");
        }

        var location = config.Get("backup:location")
            ?? throw new ConfigException(settings, "backup:location", $"is not set; run 'infra config set backup:location <directory> -s {stack.Name}'.");
        if (location.Contains("://", StringComparison.Ordinal))
        {
            throw new ConfigException(settings, "backup:location", $"'{location}' is an object-storage URL; this version writes to a directory path only.");
        }

        var connection = config.RevealSecret("postgres:connectionString")
            ?? throw new ConfigException(settings, "postgres:connectionString", $"is not set; run 'infra config set --secret postgres:connectionString <admin connection> -s {stack.Name}'.");
        var outputs = await stack.GetOutputsAsync(cancellationToken).ConfigureAwait(false);
        var database = outputs.GetString("databaseName")
            ?? throw new InfraException($"stack '{stack.Name}' has no output 'databaseName'; run 'infra up -s {stack.Name}' first.");
        return new TenantBackupTarget(
            stack.Name,
            id!,
            database,
            outputs.GetString("databaseUser") ?? TenantIds.RoleName(id!),
            Path.GetFullPath(Path.Combine(stack.Workspace.Project.Directory, location)),
            PostgresNames.ParseConnectionString(connection));
    }
}
