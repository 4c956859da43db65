using Infra.Onboarding.Auth;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Onboarding.Tests.Support;

/// <summary>
/// What one service instance (in-process or a real process) needs: its own service database on the test server, a
/// throwaway project (the real Pulumi.yaml, plans and chart) with its GitOps tree, the pinned helm and a sealing
/// certificate, a bare repository the GitOps commits are pushed to over <c>file://</c>, and secrets the secrets scan
/// looks for (the admin connection carries a password the trusting test server never asks for).
/// </summary>
public sealed class OnboardingSetup : IAsyncDisposable
{
    public const string AdminPassword = "admin-secret-9f3c2e71";
    public const string Passphrase = "passphrase-secret-4b8d1a60";
    public const string SigningKey = "dGVzdC1zaWduaW5nLWtleS1mb3Itb25ib2FyZGluZy10ZXN0cy0wMDAwMDAwMA==";
    public const string Issuer = "onboarding-tests";
    public const string Audience = "infra-onboarding";
    public const string GitOpsBranch = "clusters/onboarding";

    private OnboardingSetup(PostgresServer server, string database, CliProject project)
    {
        Server = server;
        Database = database;
        Project = project;
    }

    public PostgresServer Server { get; }

    public string Database { get; }

    public CliProject Project { get; }

    public string GitOpsPath => Path.Combine(Project.Directory, ".gitops");

    public string BackupPath => Path.Combine(Project.Directory, "backups");

    /// <summary>The bare repository every tenant's GitOps commit is pushed to.</summary>
    public string GitOpsRemotePath => Path.Combine(Project.Directory, "gitops-remote.git");

    public static async Task<OnboardingSetup> CreateAsync(PostgresServer server)
    {
        var database = await server.CreateDatabaseAsync("onboarding");
        var setup = new OnboardingSetup(server, database, new CliProject());
        Directory.CreateDirectory(setup.GitOpsRemotePath);
        var init = await RepositoryTools.RunAsync("git", setup.GitOpsRemotePath, "init", "--quiet", "--bare", "--initial-branch=main");
        Assert.True(init.ExitCode == 0, init.Error);
        return setup;
    }

    /// <summary>The service's settings, as configuration keys.</summary>
    public Dictionary<string, string?> Settings(int workers = 6) => new()
    {
        ["Onboarding:StateUrl"] = Server.Url(Database),
        ["Onboarding:AdminConnection"] = new NpgsqlConnectionStringBuilder(Server.ConnectionString()) { Password = AdminPassword }.ConnectionString,
        ["Onboarding:ProjectDirectory"] = Project.Directory,
        ["Onboarding:Passphrase"] = Passphrase,
        ["Onboarding:BackupLocation"] = BackupPath,
        ["Onboarding:GitOps:Path"] = GitOpsPath,
        ["Onboarding:GitOps:Remote"] = new Uri(GitOpsRemotePath).AbsoluteUri,
        ["Onboarding:GitOps:Branch"] = GitOpsBranch,
        ["Onboarding:GitOps:SealingCertificate"] = TenantKubernetesConfig.SealingCertificate,
        ["Onboarding:GitOps:Helm"] = RepositoryTools.Helm,
        ["Onboarding:Auth:SigningKey"] = SigningKey,
        ["Onboarding:Auth:Issuer"] = Issuer,
        ["Onboarding:Auth:Audience"] = Audience,
        ["Onboarding:Jobs:Workers"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Onboarding:Jobs:RetryDelay"] = "00:00:01",
        ["Onboarding:Jobs:InvisibilityTimeout"] = "00:00:15",
        ["Onboarding:Jobs:ShutdownTimeout"] = "00:00:10",
        ["Onboarding:RateLimits:Burst"] = "60",
        ["Onboarding:RateLimits:PerMinute"] = "600",
    };

    public static string Token(string scope, string subject, TimeSpan? lifetime = null) =>
        Tokens.Mint(SigningKey, Issuer, Audience, subject, scope, lifetime ?? TimeSpan.FromHours(1));

    /// <summary>A tenant id unique across runs on a shared server (tenant databases are server-wide).</summary>
    public static string NewTenantId(string prefix = "ob") => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        Project.Dispose();
        await Task.CompletedTask;
    }
}
