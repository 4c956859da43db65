using Infra.Automation;
using Infra.Hosting;
using Infra.Stacks.Kinds.Tenant;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Support;

/// <summary>
/// A CLI project folder (the real Pulumi.yaml, plans.yaml and chart) opened in-process with the CLI's providers,
/// for tests that run many tenant ups and look at the GitOps tree. The Kubernetes target is pinned to GitOps mode,
/// so a KUBECONFIG on the machine cannot send these tests to a cluster.
/// </summary>
public sealed class TenantWorkspace : IAsyncDisposable
{
    private TenantWorkspace(CliProject project, Workspace workspace, PostgresServer server)
    {
        Project = project;
        Workspace = workspace;
        Server = server;
    }

    public CliProject Project { get; }

    public Workspace Workspace { get; }

    public PostgresServer Server { get; }

    public static StackProgram Program { get; } = StackProgram.FromStack<TenantStack>();

    public static async Task<TenantWorkspace> OpenAsync(PostgresServer server)
    {
        var project = new CliProject();
        var workspace = await Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = project.Directory,
            Passphrase = CliProject.Passphrase,
            Providers = ProviderCatalog.All,
            StateBackends = StateBackendCatalog.All,
            Environment = new Dictionary<string, string?>(),
        });
        return new TenantWorkspace(project, workspace, server);
    }

    public string StackFolder(string stack) => Path.Combine(Project.GitOpsPath, stack);

    /// <summary>Creates <c>tenant-&lt;id&gt;</c> with its config; <paramref name="extra"/> adds or overrides keys.</summary>
    public async Task<WorkspaceStack> CreateTenantAsync(string id, string plan, string? sealingCertificate = null, params (string Key, string Value)[] extra)
    {
        var stack = await Workspace.CreateStackAsync($"tenant-{id}");
        (string Key, string Value)[] config =
        [
            ("infra:kind", "tenant"), ("tenant:id", id), ("tenant:plan", plan), .. TenantKubernetesConfig.Config,
        ];
        foreach (var (key, value) in config.Concat(extra))
        {
            await stack.SetConfigAsync(key, value);
        }

        if (sealingCertificate is not null)
        {
            await stack.SetConfigAsync("kubernetes:sealedSecretsCert", sealingCertificate);
        }

        await stack.SetConfigAsync("postgres:connectionString", Server.ConnectionString(), secret: true);
        return stack;
    }

    public Task<string[]> CommitSubjectsAsync() => CommitSubjectsAsync(Project.GitOpsPath);

    /// <summary>The GitOps repository's commit subjects, newest first.</summary>
    public static async Task<string[]> CommitSubjectsAsync(string gitOpsPath)
    {
        var log = await RepositoryTools.RunAsync("git", gitOpsPath, "log", "--format=%s");
        Assert.True(log.ExitCode == 0, log.Error);
        return log.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async ValueTask DisposeAsync()
    {
        await Workspace.DisposeAsync();
        Project.Dispose();
    }
}
