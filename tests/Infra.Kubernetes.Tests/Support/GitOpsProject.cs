using Infra.Automation;
using Infra.Providers.Helm;
using Infra.Providers.Kubernetes;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests.Support;

/// <summary>
/// A throwaway project on the embedded SQLite backend whose kubernetes (and helm) resources go to a GitOps work tree
/// in the same temp folder. The providers see an empty environment, so a KUBECONFIG on the machine cannot switch
/// these tests to cluster mode.
/// </summary>
public sealed class GitOpsProject : IAsyncDisposable
{
    public const string Passphrase = "correct horse battery staple";

    private const string Schema = """
        name: platform
        runtime: dotnet
        description: kubernetes provider tests
        stackConfigDir: environments
        config:
          kubernetes:gitopsPath:
            type: string
          kubernetes:mode:
            type: string
          kubernetes:gitopsRemote:
            type: string
          kubernetes:gitopsBranch:
            type: string
          kubernetes:kubeconfig:
            type: string
          kubernetes:context:
            type: string
          kubernetes:namespace:
            type: string
          kubernetes:sealedSecretsCert:
            type: string
          helm:binary:
            type: string
          tenant:primaryColor:
            type: string
            default: "#0055ff"
        """;

    private GitOpsProject(string directory, Workspace workspace)
    {
        Directory = directory;
        Workspace = workspace;
    }

    public string Directory { get; }

    public string GitOpsPath => Path.Combine(Directory, "gitops");

    public Workspace Workspace { get; }

    public static async Task<GitOpsProject> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "infra-k8s-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "Pulumi.yaml"), Schema);
        return new GitOpsProject(directory, await OpenWorkspaceAsync(directory));
    }

    /// <summary>
    /// Another workspace on this project with providers of its own, as a new process would have: nothing rendered or
    /// cached in this one is shared with it.
    /// </summary>
    public Task<Workspace> OpenAnotherWorkspaceAsync() => OpenWorkspaceAsync(Directory);

    private static Task<Workspace> OpenWorkspaceAsync(string directory)
    {
        var environment = new Dictionary<string, string?>();
        return Workspace.OpenAsync(new WorkspaceOptions
        {
            ProjectDirectory = directory,
            StateBackends = TestProject.StateBackends,
            Passphrase = Passphrase,
            Providers = [new KubernetesProviderFactory(environment), new HelmProviderFactory(environment)],
            Environment = environment,
        });
    }

    /// <summary>Creates a stack writing to this project's GitOps tree.</summary>
    public async Task<WorkspaceStack> CreateStackAsync(string name, string? sealedSecretsCert = null)
    {
        var stack = await Workspace.CreateStackAsync(name);
        await stack.SetConfigAsync("kubernetes:gitopsPath", "gitops");
        await stack.SetConfigAsync("helm:binary", RepositoryTools.Helm);
        if (sealedSecretsCert is not null)
        {
            await stack.SetConfigAsync("kubernetes:sealedSecretsCert", sealedSecretsCert);
        }

        return stack;
    }

    public string StackFolder(string stack) => Path.Combine(GitOpsPath, stack);

    public async Task<string> GitAsync(params string[] arguments)
    {
        var result = await RepositoryTools.RunAsync("git", GitOpsPath, arguments);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Error}");
        return result.Output;
    }

    public async Task<string[]> CommitSubjectsAsync() =>
        (await GitAsync("log", "--format=%s")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Every file of a stack folder with its bytes, for byte-stability checks.</summary>
    public Dictionary<string, string> Snapshot(string stack) =>
        System.IO.Directory.EnumerateFiles(StackFolder(stack), "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(StackFolder(stack), file), File.ReadAllText);

    public async ValueTask DisposeAsync()
    {
        await Workspace.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
