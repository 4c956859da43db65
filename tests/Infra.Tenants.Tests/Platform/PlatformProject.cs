using Infra.Automation;
using Infra.Hosting;
using Infra.Stacks.Kinds.Platform;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Platform;

/// <summary>
/// A CLI project folder (the real Pulumi.yaml, plans.yaml, platform-charts.yaml and chart) opened in-process with the
/// CLI's providers, holding a platform stack and, optionally, tenant stacks' settings for it to follow. The target is
/// GitOps; a KUBECONFIG on the machine is not passed on.
/// </summary>
internal sealed class PlatformProject : IAsyncDisposable
{
    public const string Stack = "platform";

    private PlatformProject(CliProject project, Workspace workspace)
    {
        Project = project;
        Workspace = workspace;
    }

    public CliProject Project { get; }

    public Workspace Workspace { get; }

    public static StackProgram Program { get; } = StackProgram.FromStack<PlatformStack>();

    public string Folder => Path.Combine(Project.GitOpsPath, Stack);

    public static async Task<PlatformProject> OpenAsync()
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
        return new PlatformProject(project, workspace);
    }

    /// <summary>The platform stack with only the Kubernetes target and the tenants' server set, plus <paramref name="extra"/>.</summary>
    public async Task<WorkspaceStack> CreatePlatformAsync(string adminConnection, params (string Key, string Value)[] extra)
    {
        var stack = await Workspace.CreateStackAsync(Stack);
        foreach (var (key, value) in new[] { ("infra:kind", "platform") }.Concat(TenantKubernetesConfig.Config).Concat(extra))
        {
            await stack.SetConfigAsync(key, value);
        }

        await stack.SetConfigAsync("postgres:connectionString", adminConnection, secret: true);
        return stack;
    }

    /// <summary>A tenant stack's settings (never brought up): the platform follows its id and plan.</summary>
    public async Task DeclareTenantAsync(string id, string plan, string? alertWebhook = null)
    {
        var stack = await Workspace.CreateStackAsync($"tenant-{id}");
        await stack.SetConfigAsync("infra:kind", "tenant");
        await stack.SetConfigAsync("tenant:id", id);
        await stack.SetConfigAsync("tenant:plan", plan);
        if (alertWebhook is not null)
        {
            await stack.SetConfigAsync("tenant:alertWebhook", alertWebhook);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Workspace.DisposeAsync();
        Project.Dispose();
    }
}
