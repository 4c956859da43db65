using Infra.Kubernetes.Tests.Support;
using Infra.Providers;
using Infra.Providers.Kubernetes.GitOps;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests;

/// <summary>
/// A commit round stores its new manifests as one pack before <c>git add</c> stages them, instead of letting add write
/// one loose object file per manifest; what is committed and staged stays exactly what git add decides.
/// </summary>
public sealed class RoundPackTests : IDisposable
{
    private readonly ScratchGitOpsRoot _scratch = new();

    private string Root => _scratch.Root;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_round_of_many_new_manifests_stores_them_in_one_pack_and_git_add_writes_none_of_them_loose()
    {
        var repository = new GitOpsRepository(Root);
        await WriteAsync(repository, "tenant-a", files: RoundPack.MinimumFiles, version: 1);

        await CommitAsync(repository, "tenant-a");

        var blobs = await CommittedBlobsAsync();
        Assert.Equal(RoundPack.MinimumFiles + 1, blobs.Count); // and the kustomization
        Assert.All(blobs, blob => Assert.False(IsLoose(blob), $"blob {blob} was written as a loose object"));
        Assert.Single(Packs());
        Assert.Empty((await GitAsync("status", "--porcelain")).Trim());
        // add still recorded each file's stat data, so later adds and git status do not read the files again.
        Assert.DoesNotContain("  size: 0\t", (await GitAsync("ls-files", "--debug")).Replace("\n", "\t", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_round_of_a_few_changed_manifests_leaves_them_to_git_add()
    {
        var repository = new GitOpsRepository(Root);
        await WriteAsync(repository, "tenant-a", files: RoundPack.MinimumFiles, version: 1);
        await CommitAsync(repository, "tenant-a");
        // As if the first round were long past: the round only reads files written since a stack's last round began.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "tenant-a"), "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1));
        }

        await repository.ChangeAsync("tenant-a", folder =>
        {
            folder.Write("tenant-a/configmap-0.yaml", Manifest("tenant-a", 0, version: 2), CancellationToken.None);
            return Task.FromResult(true);
        }, CancellationToken.None);
        await CommitAsync(repository, "tenant-a", update: 2);

        var changed = (await GitAsync("rev-parse", "HEAD:tenant-a/tenant-a/configmap-0.yaml")).Trim();
        Assert.True(IsLoose(changed), "the one changed manifest was expected as a loose object written by git add");
        Assert.Single(Packs());
        Assert.Empty((await GitAsync("status", "--porcelain")).Trim());
    }

    [Fact]
    public async Task A_pack_left_by_a_round_that_stopped_before_git_add_changes_nothing_and_the_next_round_commits_from_it()
    {
        var repository = new GitOpsRepository(Root);
        await WriteAsync(repository, "tenant-a", files: RoundPack.MinimumFiles, version: 1);
        await repository.UpdateKustomizationAsync("tenant-a", CancellationToken.None);

        // The round's first step alone, as a crash right after it would leave it: objects stored, no ref, no index.
        Assert.Equal(RoundPack.MinimumFiles + 1, await new RoundPack().PackAsync(Root, ["tenant-a"], CancellationToken.None));
        Assert.Single(Packs());
        Assert.NotEqual(0, (await RepositoryTools.RunAsync("git", Root, ["rev-parse", "--verify", "--quiet", "HEAD"])).ExitCode);
        Assert.Empty((await GitAsync("ls-files")).Trim());

        await CommitAsync(repository, "tenant-a");

        Assert.All(await CommittedBlobsAsync(), blob => Assert.False(IsLoose(blob), $"blob {blob} was written again as a loose object"));
        Assert.Empty((await GitAsync("status", "--porcelain")).Trim());
    }

    [Fact]
    public async Task A_manifest_that_is_not_UTF8_is_left_to_git_add_and_committed_byte_for_byte()
    {
        var repository = new GitOpsRepository(Root);
        await WriteAsync(repository, "tenant-a", files: RoundPack.MinimumFiles, version: 1);
        byte[] latin1 = [.. "apiVersion: v1\nkind: ConfigMap\ndata:\n  city: Z"u8, 0xFC, .. "rich\n"u8];
        await File.WriteAllBytesAsync(Path.Combine(Root, "tenant-a", "tenant-a", "configmap-latin1.yaml"), latin1);

        await CommitAsync(repository, "tenant-a");

        var blob = (await GitAsync("rev-parse", "HEAD:tenant-a/tenant-a/configmap-latin1.yaml")).Trim();
        Assert.True(IsLoose(blob), "the manifest that is not UTF-8 was expected to be stored by git add");
        var shown = await RepositoryTools.RunAsync("sh", Root, ["-c", $"git cat-file blob {blob} | od -An -tx1 | tr -d ' \\n'"]);
        Assert.Equal(Convert.ToHexStringLower(latin1), shown.Output.Trim());
        Assert.Empty((await GitAsync("status", "--porcelain")).Trim());
    }

    private static Task<bool> WriteAsync(GitOpsRepository repository, string stack, int files, int version) =>
        repository.ChangeAsync(stack, folder =>
        {
            for (var i = 0; i < files; i++)
            {
                folder.Write($"{stack}/configmap-{i}.yaml", Manifest(stack, i, version), CancellationToken.None);
            }

            return Task.FromResult(true);
        }, CancellationToken.None);

    private static string Manifest(string stack, int index, int version) =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{index}\n  namespace: {stack}\ndata:\n  version: \"{version}\"\n";

    private static Task<string?> CommitAsync(GitOpsRepository repository, string stack, int update = 1) =>
        repository.CommitAsync(new UpdateCompletion(stack, "update", Succeeded: true, ChangedResources: update), CancellationToken.None);

    private async Task<List<string>> CommittedBlobsAsync() =>
        [.. (await GitAsync("ls-tree", "-r", "--format=%(objecttype) %(objectname)", "HEAD"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(static line => line.StartsWith("blob ", StringComparison.Ordinal))
            .Select(static line => line[5..])];

    private bool IsLoose(string objectName) => File.Exists(Path.Combine(Root, ".git", "objects", objectName[..2], objectName[2..]));

    private string[] Packs() => Directory.GetFiles(Path.Combine(Root, ".git", "objects", "pack"), "*.pack");

    private async Task<string> GitAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await RepositoryTools.RunAsync("git", Root, arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
    }
}
