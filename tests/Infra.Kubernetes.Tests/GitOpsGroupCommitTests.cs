using Infra.Kubernetes.Tests.Support;
using Infra.Providers;
using Infra.Providers.Kubernetes.GitOps;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests;

/// <summary>
/// A commit round waits for the stacks of the process that are still writing their folders, so that one round (whose
/// git work costs about the same whatever it carries) replaces several; a stack finishing alone is not held back, nor
/// is the second provider observing an update that is already committed.
/// </summary>
public sealed class GitOpsGroupCommitTests : IDisposable
{
    private readonly ScratchGitOpsRoot _scratch = new();

    private string Root => _scratch.Root;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_round_waits_for_a_stack_still_writing_its_folder_and_both_share_one_commit()
    {
        var repository = RepositoryGatheringForMinutes();
        await WriteAsync(repository, "tenant-a");
        await WriteAsync(repository, "tenant-b");

        var first = repository.CommitAsync(new UpdateCompletion("tenant-a", "update", Succeeded: true, ChangedResources: 1), CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(first.IsCompleted, "the round committed while tenant-b was still writing its folder");
        var second = repository.CommitAsync(new UpdateCompletion("tenant-b", "update", Succeeded: true, ChangedResources: 1), CancellationToken.None);

        var subjects = await Task.WhenAll(first, second);
        Assert.All(subjects, subject => Assert.Equal("infra: 2 stacks in one commit (2 resource change(s))", subject));
        Assert.Equal("1", (await GitAsync("rev-list", "--count", "HEAD")).Trim());
        Assert.Equal(["tenant-a/kustomization.yaml", "tenant-a/tenant-a/configmap-cm.yaml", "tenant-b/kustomization.yaml", "tenant-b/tenant-b/configmap-cm.yaml"],
            (await GitAsync("ls-files")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty((await GitAsync("status", "--porcelain")).Trim());
    }

    [Fact]
    public async Task A_stack_writing_alone_commits_without_waiting_for_the_gather_limit()
    {
        var repository = RepositoryGatheringForMinutes();
        await WriteAsync(repository, "tenant-a");

        var subject = await repository.CommitAsync(new UpdateCompletion("tenant-a", "update", Succeeded: true, ChangedResources: 1), CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal("infra: update stack 'tenant-a' (1 resource change(s))", subject);
        Assert.Empty((await GitAsync("status", "--porcelain")).Trim());
    }

    [Fact]
    public async Task The_second_observer_of_a_committed_update_does_not_wait_for_other_stacks()
    {
        var repository = RepositoryGatheringForMinutes();
        await WriteAsync(repository, "tenant-a");
        var completion = new UpdateCompletion("tenant-a", "update", Succeeded: true, ChangedResources: 1);
        Assert.Equal("infra: update stack 'tenant-a' (1 resource change(s))", await repository.CommitAsync(completion, CancellationToken.None));
        await WriteAsync(repository, "tenant-b");

        // The helm provider observes the same update as the kubernetes provider; tenant-b is still writing.
        Assert.Null(await repository.CommitAsync(completion, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal("1", (await GitAsync("rev-list", "--count", "HEAD")).Trim());
    }

    [Fact]
    public async Task Every_second_round_here_repacks_before_it_returns_and_git_starts_no_maintenance_of_its_own()
    {
        var repository = RepositoryGatheringForMinutes();
        GitOpsGroupCommit.For(repository).RoundsBetweenRepacks = 2;
        // Settings under which any git command that may start git's own maintenance would start a gc.
        await repository.EnsureCreatedAsync(CancellationToken.None);
        await GitAsync("config", "gc.auto", "1");
        await GitAsync("config", "gc.autoPackLimit", "1");

        // The first round does not repack, and nothing else does either: what it wrote stays loose.
        await WriteAsync(repository, "tenant-a");
        await repository.CommitAsync(new UpdateCompletion("tenant-a", "update", Succeeded: true, ChangedResources: 1), CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(File.Exists(Path.Combine(Root, ".git", "gc.pid")), "git started a gc of its own");
        Assert.NotEqual("0", (await ObjectCountsAsync()).Loose);

        // The second repacks: every loose object is packed by the time it returns, before the next round's writes,
        // which a repack still running could race.
        await WriteAsync(repository, "tenant-b");
        await repository.CommitAsync(new UpdateCompletion("tenant-b", "update", Succeeded: true, ChangedResources: 1), CancellationToken.None);
        Assert.Equal(("0", "1"), await ObjectCountsAsync());
        Assert.Empty((await GitAsync("status", "--porcelain")).Trim());
    }

    // A gather limit no test reaches: a round that waits, waits for the stack it waits for, not for the limit.
    private GitOpsRepository RepositoryGatheringForMinutes()
    {
        var repository = new GitOpsRepository(Root);
        GitOpsGroupCommit.For(repository).MaxGather = TimeSpan.FromMinutes(10);
        return repository;
    }

    private static Task<bool> WriteAsync(GitOpsRepository repository, string stack) =>
        repository.ChangeAsync(stack, folder =>
        {
            folder.Write($"{stack}/configmap-cm.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: {stack}\n", CancellationToken.None);
            return Task.FromResult(true);
        }, CancellationToken.None);

    // Loose objects and packs, as git count-objects counts them.
    private async Task<(string Loose, string Packs)> ObjectCountsAsync()
    {
        var counts = (await GitAsync("count-objects", "-v")).Split('\n').Select(static line => line.Split(": ")).Where(static pair => pair.Length == 2)
            .ToDictionary(static pair => pair[0], static pair => pair[1].Trim());
        return (counts["count"], counts["packs"]);
    }

    private async Task<string> GitAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await RepositoryTools.RunAsync("git", Root, arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
    }
}
