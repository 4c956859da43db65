using System.Runtime.Versioning;
using Infra.Automation;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Kubernetes;
using Infra.Providers.Kubernetes.GitOps;
using Infra.TestSupport;
using static Infra.Kubernetes.Tests.Support.Manifests;

namespace Infra.Kubernetes.Tests;

/// <summary>
/// A commit round commits the index with git's plumbing rather than <c>git commit</c> (which re-reads every tracked
/// file first); these prove the commit is still the one <c>git commit</c> makes, and that what the plumbing would skip
/// (commit hooks) still happens.
/// </summary>
public class GitOpsCommitTests
{
    private static StackProgram Program(int replicas) => StackProgram.FromDelegate(ctx =>
    {
        _ = new KubernetesObject("ns", new KubernetesObjectArgs { Manifest = NamespaceManifest("tenant-acme") });
        _ = new KubernetesObject("web", new KubernetesObjectArgs { Manifest = DeploymentManifest("web", "tenant-acme", replicas) });
    });

    [Fact]
    public async Task A_commit_on_an_existing_branch_is_the_very_commit_git_commit_makes()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program(replicas: 2) });
        var parent = (await project.GitAsync("rev-parse", "HEAD")).Trim();

        await stack.UpAsync(new UpOptions { Program = Program(replicas: 3) });

        var made = (await project.GitAsync("rev-parse", "HEAD")).Trim();
        var subject = (await project.GitAsync("log", "-1", "--format=%s")).Trim();
        Assert.Equal("infra: update stack 'tenant-acme' (1 resource change(s))", subject);
        var commitObject = await project.GitAsync("cat-file", "commit", "HEAD");
        Assert.Equal($"{subject}\n\n0 file(s) added, 1 changed, 0 removed under tenant-acme/.\n", commitObject[(commitObject.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]);
        Assert.Equal($"commit: {subject}", (await project.GitAsync("reflog", "-1", "--format=%gs")).Trim());
        Assert.Equal(parent, (await project.GitAsync("rev-parse", "HEAD^")).Trim());
        Assert.Empty((await project.GitAsync("status", "--porcelain")).Trim());

        // The same staged tree committed by `git commit` with the same identity, message and dates is the same object.
        var fields = (await project.GitAsync("log", "-1", "--date=raw", "--format=%an%n%ae%n%ad%n%cd%n%b")).Split('\n');
        await project.GitAsync("reset", "--quiet", "--soft", parent);
        var again = await RepositoryTools.RunAsync("env", project.GitOpsPath,
            $"GIT_AUTHOR_DATE={fields[2]}", $"GIT_COMMITTER_DATE={fields[3]}",
            "git", "-c", $"user.name={fields[0]}", "-c", $"user.email={fields[1]}", "commit", "--quiet", "-m", subject, "-m", fields[4]);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(made, (await project.GitAsync("rev-parse", "HEAD")).Trim());
    }

    [Fact]
    public async Task A_commit_someone_made_by_hand_since_the_last_round_becomes_the_parent_and_is_kept()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program(replicas: 2) });
        await File.WriteAllTextAsync(Path.Combine(project.GitOpsPath, "NOTES.md"), "committed by hand\n");
        await project.GitAsync("add", "NOTES.md");
        await project.GitAsync("-c", "user.name=someone", "-c", "user.email=someone@localhost", "commit", "--quiet", "-m", "notes");
        var byHand = (await project.GitAsync("rev-parse", "HEAD")).Trim();

        await stack.UpAsync(new UpOptions { Program = Program(replicas: 3) });

        Assert.Equal(byHand, (await project.GitAsync("rev-parse", "HEAD^")).Trim());
        Assert.Equal("committed by hand\n", await project.GitAsync("show", "HEAD:NOTES.md"));
        Assert.Equal(["tenant-acme/tenant-acme/deployment-web.yaml"], (await project.GitAsync("show", "--name-only", "--format=", "HEAD")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty((await project.GitAsync("status", "--porcelain")).Trim());
    }

    [Fact]
    public async Task HEAD_read_from_the_repositorys_files_is_what_git_says_and_anything_else_is_left_to_git()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program(replicas: 2) });
        await stack.UpAsync(new UpOptions { Program = Program(replicas: 3) });
        var head = (await project.GitAsync("rev-parse", "HEAD")).Trim();

        Assert.Equal(head, IndexCommit.ReadHead(project.GitOpsPath));

        // Packed refs (as git gc leaves them) and a detached HEAD are git's to resolve; a commit round then asks it.
        await project.GitAsync("pack-refs", "--all");
        Assert.Null(IndexCommit.ReadHead(project.GitOpsPath));
        await stack.UpAsync(new UpOptions { Program = Program(replicas: 4) });
        Assert.Equal(head, (await project.GitAsync("rev-parse", "HEAD^")).Trim());
        Assert.Equal((await project.GitAsync("rev-parse", "HEAD")).Trim(), IndexCommit.ReadHead(project.GitOpsPath));
        await project.GitAsync("checkout", "--quiet", "--detach");
        Assert.Null(IndexCommit.ReadHead(project.GitOpsPath));
    }

    [Fact]
    [SupportedOSPlatform("linux")] // git runs a hook only when its file has the executable mode bit
    public async Task A_commit_hook_of_the_work_tree_still_runs()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program(replicas: 2) });
        var ran = Path.Combine(project.GitOpsPath, ".git", "post-commit-ran");
        var hook = Path.Combine(project.GitOpsPath, ".git", "hooks", "post-commit");
        await File.WriteAllTextAsync(hook, $"#!/bin/sh\ngit log -1 --format=%s >> '{ran}'\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await stack.UpAsync(new UpOptions { Program = Program(replicas: 3) });

        Assert.Equal("infra: update stack 'tenant-acme' (1 resource change(s))\n", await File.ReadAllTextAsync(ran));
    }
}
