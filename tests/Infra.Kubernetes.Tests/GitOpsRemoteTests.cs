using Infra.Automation;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Kubernetes;
using Infra.TestSupport;
using static Infra.Kubernetes.Tests.Support.Manifests;

namespace Infra.Kubernetes.Tests;

/// <summary>
/// <c>kubernetes:gitopsRemote</c> against a real bare repository on this machine, reached over <c>file://</c>: up
/// pushes after its commit; a push rejected because someone else pushed is rebased and retried; a push that fails
/// leaves state and the local commit as they are, and the next up pushes.
/// </summary>
public sealed class GitOpsRemoteTests : IAsyncLifetime
{
    private const string Branch = "clusters/prod";
    private readonly string _remote = Path.Combine(Path.GetTempPath(), "infra-gitops-remotes", Guid.NewGuid().ToString("N"), "gitops.git");

    private string RemoteUrl => new Uri(_remote).AbsoluteUri;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_remote);
        await GitAsync(_remote, "init", "--quiet", "--bare", "--initial-branch=main");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(_remote)!, recursive: true);
        return Task.CompletedTask;
    }

    private static StackProgram Program(string color) => StackProgram.FromDelegate(ctx =>
    {
        var space = new KubernetesObject("ns", new KubernetesObjectArgs { Manifest = NamespaceManifest("tenant-acme") });
        _ = new KubernetesObject("branding", new KubernetesObjectArgs { Manifest = ConfigMapManifest("branding", "tenant-acme", color) },
            new CustomResourceOptions { DependsOn = [space] });
    });

    private async Task<WorkspaceStack> StackAsync(GitOpsProject project)
    {
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.SetConfigAsync("kubernetes:gitopsRemote", RemoteUrl);
        await stack.SetConfigAsync("kubernetes:gitopsBranch", Branch);
        return stack;
    }

    [Fact]
    public async Task Up_pushes_its_commit_to_the_remote_branch()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await StackAsync(project);

        await stack.UpAsync(new UpOptions { Program = Program("#0055ff") });

        Assert.Equal((await project.GitAsync("rev-parse", "HEAD")).Trim(), (await GitAsync(_remote, "rev-parse", $"refs/heads/{Branch}")).Trim());
        Assert.Contains("#0055ff", await GitAsync(_remote, "show", $"{Branch}:tenant-acme/tenant-acme/configmap-branding.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_rejected_because_someone_else_pushed_is_rebased_on_the_remote_and_retried()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await StackAsync(project);
        await stack.UpAsync(new UpOptions { Program = Program("#0055ff") });
        // Another writer (another stack's runner) pushes a commit of its own folder first.
        var other = Path.Combine(Path.GetDirectoryName(_remote)!, "other");
        await GitAsync(Path.GetDirectoryName(_remote)!, "clone", "--quiet", "--branch", Branch, RemoteUrl, other);
        Directory.CreateDirectory(Path.Combine(other, "tenant-globex"));
        await File.WriteAllTextAsync(Path.Combine(other, "tenant-globex", "kustomization.yaml"), "resources: []\n");
        await GitAsync(other, "add", "--all");
        await GitAsync(other, "-c", "user.name=other", "-c", "user.email=other@localhost", "commit", "--quiet", "-m", "other writer");
        await GitAsync(other, "push", "--quiet", "origin", $"HEAD:refs/heads/{Branch}");

        await stack.UpAsync(new UpOptions { Program = Program("#ff5500") });

        var log = (await GitAsync(_remote, "log", "--format=%s", Branch)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["infra: update stack 'tenant-acme' (1 resource change(s))", "other writer", "infra: update stack 'tenant-acme' (2 resource change(s))"], log);
        Assert.Equal((await project.GitAsync("rev-parse", "HEAD")).Trim(), (await GitAsync(_remote, "rev-parse", Branch)).Trim());
        Assert.True(File.Exists(Path.Combine(project.GitOpsPath, "tenant-globex", "kustomization.yaml")), "the rebase brings the other writer's folder into the work tree");
    }

    [Fact]
    public async Task A_failed_push_keeps_state_and_the_local_commit_and_the_next_up_pushes_them()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await StackAsync(project);
        var moved = _remote + ".away";
        Directory.Move(_remote, moved);

        var failure = await Assert.ThrowsAsync<InfraException>(() => stack.UpAsync(new UpOptions { Program = Program("#0055ff") }));

        Assert.Contains("the next up pushes it again", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.Single(await project.CommitSubjectsAsync());
        var preview = await stack.PreviewAsync(new PreviewOptions { Program = Program("#0055ff") });
        Assert.False(preview.HasChanges, "state records the update whose push failed");

        Directory.Move(moved, _remote);
        var again = await stack.UpAsync(new UpOptions { Program = Program("#0055ff") });

        Assert.Equal(0, again.Summary.Changes);
        Assert.Single(await project.CommitSubjectsAsync());
        Assert.Equal((await project.GitAsync("rev-parse", "HEAD")).Trim(), (await GitAsync(_remote, "rev-parse", Branch)).Trim());
    }

    [Fact]
    public async Task A_remote_over_ssh_gets_the_users_agent_and_ssh_command_which_no_other_tool_gets()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var folder = Path.GetDirectoryName(_remote)!;
        var seen = Path.Combine(folder, "ssh-environment");
        // The user's ssh: it records the environment git gave it, then serves the repository as sshd would, by
        // running the git command it was asked to ("simple" ssh: host, then command).
        var ssh = Path.Combine(folder, "recording-ssh");
        await File.WriteAllTextAsync(ssh, $"#!/bin/sh\nenv > '{seen}'\nexec sh -c \"$2\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(ssh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var agent = Path.Combine(folder, "agent.sock");
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.SetConfigAsync("kubernetes:gitopsRemote", $"ssh://git@gitops.example.invalid{_remote}");
        await stack.SetConfigAsync("kubernetes:gitopsBranch", Branch);
        string[] names = ["SSH_AUTH_SOCK", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT"];
        var before = names.Select(Environment.GetEnvironmentVariable).ToArray();
        try
        {
            Environment.SetEnvironmentVariable("SSH_AUTH_SOCK", agent);
            Environment.SetEnvironmentVariable("GIT_SSH_COMMAND", ssh);
            Environment.SetEnvironmentVariable("GIT_SSH_VARIANT", "simple");

            await stack.UpAsync(new UpOptions { Program = Program("#0055ff") });

            var environment = await File.ReadAllLinesAsync(seen);
            Assert.Contains($"SSH_AUTH_SOCK={agent}", environment);
            Assert.DoesNotContain(environment, line => line.StartsWith("INFRA_CONFIG_PASSPHRASE=", StringComparison.Ordinal));
            Assert.Equal((await project.GitAsync("rev-parse", "HEAD")).Trim(), (await GitAsync(_remote, "rev-parse", Branch)).Trim());
            var helm = new System.Diagnostics.ProcessStartInfo("helm");
            Infra.Processes.ChildEnvironment.Apply(helm);
            Assert.DoesNotContain(names, helm.Environment.ContainsKey);
        }
        finally
        {
            for (var i = 0; i < names.Length; i++)
            {
                Environment.SetEnvironmentVariable(names[i], before[i]);
            }
        }
    }

    [Fact]
    public void A_branch_that_is_not_a_branch_name_is_refused_naming_the_key()
    {
        var config = Infra.Values.PropertyMap.Create([KeyValuePair.Create("gitopsBranch", Infra.Values.PropertyValue.Create("--force"))]);

        var error = Assert.Throws<InfraException>(() => KubernetesSettings.FromConfig(config, Path.GetTempPath(), new Dictionary<string, string?>()));

        Assert.Contains("kubernetes:gitopsBranch", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var result = await RepositoryTools.RunAsync("git", directory, arguments);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Error}");
        return result.Output;
    }
}
