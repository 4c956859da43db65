using Infra.Automation;
using Infra.Backups;
using Infra.Backups.Storage;
using Infra.Providers.Postgres;
using Infra.Tenancy;

namespace Infra.Hosting;

/// <summary>Reads a tenant stack's backup target from its config and outputs.</summary>
public static class TenantBackupTargets
{
    /// <summary>The store <c>backup:location</c> names: a folder, or <c>s3://bucket/prefix</c> reached as <c>backup:s3*</c> say.</summary>
    /// <exception cref="ConfigException">The location is missing or malformed.</exception>
    public static IBackupStore OpenStore(WorkspaceStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var config = stack.GetConfig();
        var location = config.Get("backup:location")
            ?? throw new MissingConfigException(config.Settings.Path, "backup:location", "is not set", stack.Name, valueHint: "directory");
        var s3 = new S3Connection(config.Get("backup:s3Endpoint"), config.Get("backup:s3Region") ?? "us-east-1");
        var (store, problem) = BackupLocation.Open(location, stack.Workspace.Project.Directory, s3);
        return store ?? throw new ConfigException(config.Settings.Path, "backup:location", problem!);
    }

    /// <summary>Reads the target; every missing or wrong setting is one line naming the key.</summary>
    /// <exception cref="ConfigException">A setting is missing or wrong.</exception>
    /// <exception cref="MissingOutputException">The stack has not been brought up, so its database is unknown.</exception>
    public static async Task<TenantBackupTarget> ResolveAsync(WorkspaceStack stack, CancellationToken cancellationToken)
    {
        var config = stack.GetConfig();
        var settings = config.Settings.Path;
        var kind = config.Get(StackKinds.KindKey);
        if (kind != "tenant")
        {
            throw new ConfigException(settings, StackKinds.KindKey, $"is {ErrorText.Quote(kind)}; tenant backup and restore work on tenant stacks only.");
        }

        var id = config.Get("tenant:id");
        if (TenantConventions.IdProblem(id) is { } problem)
        {
            throw new ConfigException(settings, "tenant:id", $"{ErrorText.Quote(id)} {problem}.");
        }

        var store = OpenStore(stack);
        var connection = config.RevealSecret("postgres:connectionString")
            ?? throw new MissingConfigException(settings, "postgres:connectionString", "is not set", stack.Name, secret: true, valueHint: "admin connection");
        var outputs = await stack.GetOutputsAsync(cancellationToken).ConfigureAwait(false);
        var database = outputs.GetString("databaseName") ?? throw new MissingOutputException(stack.Name, "databaseName");
        return new TenantBackupTarget(
            stack.Name,
            id!,
            database,
            outputs.GetString("databaseUser") ?? TenantConventions.RoleName(id!),
            outputs.GetString("databasePassword") ?? throw new MissingOutputException(stack.Name, "databasePassword"),
            TenantConventions.OwnerRoleName(id!),
            store.StagingRoot,
            PostgresNames.ParseConnectionString(connection),
            ManifestKey(stack));
    }

    /// <summary>The secret <c>backup:manifestKey</c> of <paramref name="stack"/> when set, else a key derived from its secrets provider.</summary>
    /// <exception cref="ConfigException">The configured key is too short.</exception>
    public static byte[] ManifestKey(WorkspaceStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var config = stack.GetConfig();
        // The schema declares the key secret, so it is read through RevealSecret whichever way it was stored.
        var key = config.RevealSecret(ManifestKeys.ConfigKey);
        if (key is null)
        {
            return stack.DeriveKey(ManifestKeys.Purpose);
        }

        return ManifestKeys.Problem(key) is { } problem
            ? throw new ConfigException(config.Settings.Path, ManifestKeys.ConfigKey, $"{problem}.")
            : System.Text.Encoding.UTF8.GetBytes(key);
    }
}
