using Infra.Kubernetes.Tests.Support;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Kubernetes;

/// <summary>
/// <c>infra tenant promote</c> and <c>infra tenant abort</c> in GitOps mode, with the real git and a real bare remote:
/// each is one new commit of the tenant's Rollout (history is never rewritten), pushed like an update's, and the
/// folder still builds with kubectl kustomize and fits the Argo Rollouts schema.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TenantPromoteAbortTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Promote_and_abort_of_a_production_tenant_are_each_one_pushed_commit_of_its_rollout()
    {
        using var project = new TenantProject(fixture.Server);
        var remote = Path.Combine(project.Cli.Directory, "remote.git");
        Assert.Equal(0, (await RepositoryTools.RunAsync("git", project.Cli.Directory, "init", "--quiet", "--bare", "--initial-branch=main", remote)).ExitCode);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id, "enterprise");
        await project.ConfigAsync(stack, ("kubernetes:gitopsRemote", remote), ("tenant:displayName", "Version One"));
        await UpOkAsync(project, stack);
        var rolloutPath = Path.Combine(project.Cli.GitOpsPath, stack, $"tenant-{id}", "rollout-platform.yaml");
        var firstTemplate = Template(await File.ReadAllTextAsync(rolloutPath));

        // A new release (the tenant's config is in the pod template's checksum): the Rollout waits for a person.
        await project.ConfigAsync(stack, ("tenant:displayName", "Version Two"));
        await UpOkAsync(project, stack);
        var secondTemplate = Template(await File.ReadAllTextAsync(rolloutPath));
        Assert.NotEqual(firstTemplate, secondTemplate);
        Assert.Contains("autoPromotionEnabled: false", await File.ReadAllTextAsync(rolloutPath), StringComparison.Ordinal);
        var released = await GitAsync(project, "rev-parse", "HEAD");

        var promote = await project.Cli.RunAsync("tenant", "promote", "-s", stack);

        Assert.True(promote.ExitCode == 0, promote.ToString());
        Assert.Contains($"Committed the promote of Rollout tenant-{id}/platform to the GitOps tree", promote.Stdout, StringComparison.Ordinal);
        Assert.Contains("autoPromotionEnabled: true", await File.ReadAllTextAsync(rolloutPath), StringComparison.Ordinal);
        Assert.Equal(secondTemplate, Template(await File.ReadAllTextAsync(rolloutPath)));
        Assert.Equal(released, await GitAsync(project, "rev-parse", "HEAD~1"));
        Assert.Equal($"{stack}/tenant-{id}/rollout-platform.yaml", await GitAsync(project, "show", "--name-only", "--format=", "HEAD"));
        Assert.Equal(await GitAsync(project, "rev-parse", "HEAD"), await GitAsync(project, "--git-dir", remote, "rev-parse", "main"));
        await AssertFolderIsValidAsync(project, stack);

        // Promoting twice has nothing to do, and says so in one line.
        var again = await project.Cli.RunAsync("tenant", "promote", "-s", stack);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("promotes itself after its analysis (autoPromotionEnabled is on)", again.ToString(), StringComparison.Ordinal);

        var abort = await project.Cli.RunAsync("tenant", "abort", "-s", stack);

        Assert.True(abort.ExitCode == 0, abort.ToString());
        Assert.Contains("The stack still declares the new version", abort.Stdout, StringComparison.Ordinal);
        Assert.Equal(firstTemplate, Template(await File.ReadAllTextAsync(rolloutPath)));
        Assert.Contains("abort the blue-green release", await GitAsync(project, "log", "-1", "--format=%s"), StringComparison.Ordinal);
        Assert.Equal(4, int.Parse(await GitAsync(project, "rev-list", "--count", "HEAD", "--", stack), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(await GitAsync(project, "rev-parse", "HEAD"), await GitAsync(project, "--git-dir", remote, "rev-parse", "main"));
        await AssertFolderIsValidAsync(project, stack);
    }

    [Fact]
    public async Task Promote_of_a_rolling_tenant_names_the_missing_rollout_and_commits_nothing()
    {
        using var project = new TenantProject(fixture.Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id, "standard");
        await UpOkAsync(project, stack);
        var head = await GitAsync(project, "rev-parse", "HEAD");

        var promote = await project.Cli.RunAsync("tenant", "promote", "-s", stack);

        Assert.Equal(1, promote.ExitCode);
        Assert.Contains($"Rollout 'platform' is not in the GitOps tree ('{stack}/tenant-{id}/rollout-platform.yaml')", promote.ToString(), StringComparison.Ordinal);
        Assert.Equal(head, await GitAsync(project, "rev-parse", "HEAD"));
    }

    [Fact(Skip = "Cluster mode patches the Rollout's status through a Kubernetes API server, and none runs on this machine; BlueGreenActions.StatusPatch is what it sends.")]
    public void Promote_in_cluster_mode_patches_the_rollout_status()
    {
    }

    private static async Task UpOkAsync(TenantProject project, string stack)
    {
        var up = await project.UpAsync(stack);
        Assert.True(up.ExitCode == 0, up.ToString());
    }

    private static async Task AssertFolderIsValidAsync(TenantProject project, string stack)
    {
        var objects = await KustomizeBuild.BuildAsync(Path.Combine(project.Cli.GitOpsPath, stack));
        await ArgoRolloutsSchema.AssertValidAsync(objects);
    }

    /// <summary>The pod template's lines of a Rollout manifest (from <c>template:</c> under spec to the end).</summary>
    private static string Template(string manifest) => manifest[manifest.IndexOf("\n  template:", StringComparison.Ordinal)..];

    private static async Task<string> GitAsync(TenantProject project, params string[] arguments)
    {
        var (exitCode, output, error) = await RepositoryTools.RunAsync("git", project.Cli.GitOpsPath, arguments);
        Assert.True(exitCode == 0, error);
        return output.Trim();
    }
}
