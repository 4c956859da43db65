using Infra.Providers.Kubernetes;
using Infra.State.Postgres;
using Infra.Values;

namespace Infra.Onboarding.Hosting;

/// <summary>
/// The service's settings resolved once at start: <c>INFRA_BACKEND_URL</c> over <c>Onboarding:StateUrl</c>, the
/// project folder found, the database connection string derived. A missing or wrong setting stops the start with one
/// line naming it.
/// </summary>
internal sealed class ServiceSettings
{
    /// <summary>The development-only passphrase of tenant stacks' secrets; refused outside Development.</summary>
    public const string DevelopmentPassphrase = "onboarding development passphrase";

    private ServiceSettings(string stateUrl, string connectionString, string projectDirectory, string passphrase, string adminConnection,
        string backupLocation, string? sealingCertificate)
    {
        StateUrl = stateUrl;
        ConnectionString = connectionString;
        ProjectDirectory = projectDirectory;
        Passphrase = passphrase;
        AdminConnection = adminConnection;
        BackupLocation = backupLocation;
        SealingCertificate = sealingCertificate;
    }

    public string StateUrl { get; }

    /// <summary>The Npgsql connection string of the service database.</summary>
    public string ConnectionString { get; }

    public string ProjectDirectory { get; }

    public string Passphrase { get; }

    public string AdminConnection { get; }

    public string BackupLocation { get; }

    public string? SealingCertificate { get; }

    /// <exception cref="InfraException">A setting is missing or wrong.</exception>
    public static ServiceSettings Resolve(OnboardingOptions options, IConfiguration configuration, bool development)
    {
        var stateUrl = configuration["INFRA_BACKEND_URL"] is { Length: > 0 } fromEnvironment ? fromEnvironment : options.StateUrl;
        if (string.IsNullOrWhiteSpace(stateUrl) || !(stateUrl.StartsWith("postgres://", StringComparison.Ordinal) || stateUrl.StartsWith("postgresql://", StringComparison.Ordinal)))
        {
            throw new InfraException("Onboarding:StateUrl (or INFRA_BACKEND_URL) must be a postgres:// URL of the service database, e.g. postgres://infra@127.0.0.1:5432/onboarding.");
        }

        var (connectionString, _, _) = PostgresUrl.Parse(stateUrl);
        var project = options.ProjectDirectory is { Length: > 0 } directory
            ? Path.GetFullPath(directory)
            : FindProject(Directory.GetCurrentDirectory()) ?? FindProject(AppContext.BaseDirectory)
              ?? throw new InfraException("Onboarding:ProjectDirectory is not set and no Pulumi.yaml was found above the working folder; set it to the project folder.");
        if (!File.Exists(Path.Combine(project, "Pulumi.yaml")))
        {
            throw new InfraException($"Onboarding:ProjectDirectory '{project}' holds no Pulumi.yaml.");
        }

        var passphrase = options.Passphrase;
        if (string.IsNullOrEmpty(passphrase))
        {
            passphrase = development
                ? DevelopmentPassphrase
                : throw new InfraException("Onboarding:Passphrase is not set: tenant stacks' secrets need it (the development passphrase is refused outside Development).");
        }

        CheckGitOpsRemote(options.GitOps);
        var admin = options.AdminConnection is { Length: > 0 } configured ? configured : stateUrl;
        var backups = Path.GetFullPath(Path.Combine(project, options.BackupLocation ?? Path.Combine(".infra", "backups")));
        return new ServiceSettings(stateUrl, connectionString, project, passphrase, admin, backups, options.GitOps.SealingCertificate);
    }

    /// <summary>
    /// Checks the remote and branch by the kubernetes provider's own rules now, so a wrong one stops the start naming the
    /// service's key instead of failing every tenant's operation later.
    /// </summary>
    private static void CheckGitOpsRemote(GitOpsOptions gitOps)
    {
        var config = PropertyMap.CreateBuilder();
        if (gitOps.Remote is { Length: > 0 } remote)
        {
            config.Add("gitopsRemote", PropertyValue.Create(remote));
        }

        if (gitOps.Branch is { Length: > 0 } branch)
        {
            config.Add("gitopsBranch", PropertyValue.Create(branch));
        }

        try
        {
            _ = KubernetesSettings.FromConfig(config.ToPropertyMap(), Path.GetTempPath(), new Dictionary<string, string?>());
        }
        catch (InfraException ex)
        {
            throw new InfraException(ex.Message
                .Replace("config 'kubernetes:gitopsRemote'", "Onboarding:GitOps:Remote", StringComparison.Ordinal)
                .Replace("config 'kubernetes:gitopsBranch'", "Onboarding:GitOps:Branch", StringComparison.Ordinal), ex);
        }
    }

    private static string? FindProject(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pulumi.yaml")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
