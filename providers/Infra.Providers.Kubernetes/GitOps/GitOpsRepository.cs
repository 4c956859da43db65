using System.Collections.Concurrent;
using System.Text;
using Infra.Configuration;
using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// A GitOps work tree shared by many stacks, each owning the folder named after it. Writes to a stack's folder are
/// serialized by a lock file per stack, and every git command by one lock file per repository, both under
/// <c>.git/infra/</c>: many stacks in one process and other processes may write the same repository at once, and git
/// itself refuses concurrent index updates. A commit only ever takes the folders of the stacks it names; stacks
/// finishing together share one (<see cref="GitOpsGroupCommit"/>). With a remote, each commit round ends with a push
/// (<see cref="GitOpsPush"/>).
/// </summary>
/// <param name="root">The work tree's root.</param>
/// <param name="remote">The remote pushed to after each commit round, if any.</param>
/// <param name="branch">The remote branch; <see langword="null"/> for the current branch.</param>
internal sealed class GitOpsRepository(string root, string? remote = null, string? branch = null)
{
    /// <summary>The name of the kustomization file at the top of each stack folder.</summary>
    public const string KustomizationFile = "kustomization.yaml";

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    // `git config user.email` per work tree, asked once per process instead of once per commit.
    private static readonly ConcurrentDictionary<string, string[]> s_identities = new(StringComparer.Ordinal);

    /// <summary>The work tree's root.</summary>
    public string Root { get; } = root;

    /// <summary>The absolute folder of a stack.</summary>
    public string StackFolder(string stack) => Path.Combine(Root, CheckStackName(stack));

    /// <summary>Creates the work tree and runs <c>git init</c> when it has no <c>.git</c> yet.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        // Asked before every change of every stack: once the repository exists, one stat answers.
        var gitDirectory = Path.Combine(Root, ".git");
        if (Directory.Exists(gitDirectory) || File.Exists(gitDirectory))
        {
            return;
        }

        Directory.CreateDirectory(Root);

        // Concurrent 'git init's in one folder trip over each other's files. Each initializes a private folder and
        // renames its .git into place; the rename is atomic, so exactly one wins and the others discard theirs.
        var scratch = Path.Combine(Root, $".infra-init-{Guid.NewGuid():N}");
        try
        {
            await GitCommand.RunAsync(Root, ["init", "--quiet", "--initial-branch=main", scratch], cancellationToken).ConfigureAwait(false);
            try
            {
                Directory.Move(Path.Combine(scratch, ".git"), gitDirectory);
            }
            catch (IOException) when (Directory.Exists(gitDirectory))
            {
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Reads a manifest file of a stack, or <see langword="null"/> when it does not exist.</summary>
    /// <exception cref="ConfigException">The file is larger than a YAML file may be (<see cref="SafeYaml.MaxFileBytes"/>).</exception>
    public async Task<string?> ReadAsync(string stack, string relativePath, CancellationToken cancellationToken)
    {
        var path = FilePath(stack, relativePath);
        if (!File.Exists(path))
        {
            // Most reads are of a file about to be created: asking first spares an exception per new manifest.
            return null;
        }

        try
        {
            return await SafeYaml.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="change"/> holding the stack's folder lock. The stack's kustomization is brought up to date
    /// by the commit that takes the folder (<see cref="CommitAsync"/>), once per update rather than once per object:
    /// nothing reads the folder as a whole before it is committed, and a tenant's fifteen objects each rewrote it.
    /// </summary>
    public async Task<T> ChangeAsync<T>(string stack, Func<StackFolder, Task<T>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        GitOpsGroupCommit.For(this).NoteWriting(stack);
        using var hold = await LockStackAsync(stack, cancellationToken).ConfigureAwait(false);
        return await change(new StackFolder(this, stack)).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the stack's kustomization (every manifest in its folder, sorted) when the folder exists and the file
    /// says anything else, holding the stack's folder lock.
    /// </summary>
    internal async Task UpdateKustomizationAsync(string stack, CancellationToken cancellationToken)
    {
        using var hold = await LockStackAsync(stack, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(StackFolder(stack)))
        {
            WriteKustomization(stack, cancellationToken);
        }
    }

    /// <summary>
    /// Brings the stack's kustomization up to date, then commits the stack's folder, and only it, when anything in it
    /// changed. After a successful destroy that left no manifest behind, the folder (with its kustomization) is removed
    /// in the same commit. With a remote, the work tree's commits are then pushed, also when this round committed
    /// nothing: a push that failed before is retried by the next update. Stacks of this process that finish at about the same time share one commit and one push
    /// (<see cref="GitOpsGroupCommit"/>).
    /// </summary>
    /// <returns>The subject of the commit that took the folder, or <see langword="null"/> when there was nothing to commit.</returns>
    /// <exception cref="InfraException">git failed, or the push did (the commit stays, see <see cref="GitOpsPush"/>).</exception>
    public Task<string?> CommitAsync(UpdateCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        _ = CheckStackName(completion.Stack);
        return GitOpsGroupCommit.For(this).CommitAsync(completion, cancellationToken);
    }

    /// <summary>The remote pushed to after each commit round, if any.</summary>
    internal string? Remote { get; } = remote;

    /// <summary>The remote branch; <see langword="null"/> for the current branch.</summary>
    internal string? Branch { get; } = branch;

    /// <summary>Holds the repository-wide git lock: git refuses concurrent index updates, from any process.</summary>
    internal Task<FileLock> LockGitAsync(CancellationToken cancellationToken) =>
        FileLock.AcquireAsync(LockPath("git.lock"), cancellationToken);

    /// <summary>
    /// Commits one file of a stack's folder, and only it, with <paramref name="summary"/> as the message, then pushes
    /// as <see cref="CommitAsync"/> does: a hand-made change (promote, abort) recorded as its own commit.
    /// </summary>
    /// <returns>The new commit's hash.</returns>
    /// <exception cref="InfraException">The file did not change, or git or the push failed.</exception>
    public async Task<string> CommitFileAsync(string stack, string relativePath, string summary, string body, CancellationToken cancellationToken)
    {
        var path = $"{CheckStackName(stack)}/{Path.GetRelativePath(StackFolder(stack), FilePath(stack, relativePath)).Replace(Path.DirectorySeparatorChar, '/')}";
        using var hold = await LockGitAsync(cancellationToken).ConfigureAwait(false);
        await GitCommand.RunAsync(Root, ["add", "--", path], cancellationToken).ConfigureAwait(false);
        if ((await GitCommand.RunAsync(Root, ["diff", "--cached", "--name-only", "--", path], cancellationToken).ConfigureAwait(false)).Trim().Length == 0)
        {
            throw new InfraException($"'{path}' in the GitOps tree is already as asked; nothing to commit.");
        }

        await GitCommand.RunAsync(Root, [.. await IdentityAsync(cancellationToken).ConfigureAwait(false), "commit", "--quiet", "-m", summary, "-m", body, "--", path], cancellationToken)
            .ConfigureAwait(false);
        var head = (await GitCommand.RunAsync(Root, ["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false)).Trim();
        GitOpsGroupCommit.For(this).NoteCommitted(stack);
        if (Remote is not null)
        {
            await GitOpsPush.PushAsync(Root, Remote, Branch, await IdentityAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        return head;
    }

    /// <summary>The committed versions of one file of a stack's folder, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<string>> HistoryAsync(string stack, string relativePath, int limit, CancellationToken cancellationToken)
    {
        var path = $"{CheckStackName(stack)}/{Path.GetRelativePath(StackFolder(stack), FilePath(stack, relativePath)).Replace(Path.DirectorySeparatorChar, '/')}";
        if (!Directory.Exists(Path.Combine(Root, ".git")))
        {
            return [];
        }

        var commits = await GitCommand.TryRunAsync(Root, ["log", $"--max-count={limit}", "--format=%H", "--", path], cancellationToken).ConfigureAwait(false);
        var versions = new List<string>();
        foreach (var commit in commits.ExitCode == 0 ? commits.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [])
        {
            var shown = await GitCommand.TryRunAsync(Root, ["show", $"{commit}:{path}"], cancellationToken).ConfigureAwait(false);
            if (shown.ExitCode == 0)
            {
                versions.Add(shown.Output);
            }
        }

        return versions;
    }

    internal string FilePath(string stack, string relativePath)
    {
        var folder = StackFolder(stack);
        var path = Path.GetFullPath(Path.Combine(folder, relativePath));
        return path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InfraException($"the manifest path '{relativePath}' leaves the folder of stack '{stack}'.");
    }

    /// <summary>
    /// Writes beside the file and renames over it: a reader (or a crash) never sees half a manifest. The folder is made
    /// only when the write finds it missing: a tenant's manifests mostly share two folders.
    /// </summary>
    /// <remarks>
    /// Synchronous on purpose, as the manifests are a few kilobytes on a local disk: .NET's asynchronous file calls on
    /// Linux run the same blocking system calls on a thread-pool thread, so each one only added a hand-off to another
    /// thread and back, about twenty per tenant, on cores the renders already keep busy.
    /// </remarks>
    internal static void WriteAtomically(string path, string content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, content, s_utf8);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(temporary, content, s_utf8);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Writes a manifest atomically (<see cref="WriteAtomically"/>) unless the file already holds exactly
    /// <paramref name="content"/>. An update rewrites every object of a release, most of them unchanged; each rewrite
    /// made a new file and freed the old one, and on ext4 every file made costs far more than reading one.
    /// </summary>
    /// <returns>Whether the file was written.</returns>
    internal static bool WriteIfChanged(string path, string content, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (file.Exists && file.Length == s_utf8.GetByteCount(content) && File.ReadAllText(path, s_utf8) == content)
        {
            return false;
        }

        WriteAtomically(path, content, cancellationToken);
        return true;
    }

    private void WriteKustomization(string stack, CancellationToken cancellationToken)
    {
        var folder = StackFolder(stack);
        var resources = Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(static file => file != KustomizationFile && file.Contains('/', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(static file => PropertyValue.Create(file))
            .ToList();
        var kustomization = PropertyMap.CreateBuilder()
            .Add("apiVersion", PropertyValue.Create("kustomize.config.k8s.io/v1beta1"))
            .Add("kind", PropertyValue.Create("Kustomization"))
            .Add("resources", PropertyValue.Create(resources))
            .ToPropertyMap();
        var content = $"# Written by infra for stack '{stack}': every manifest in this folder, sorted. Do not edit.\n" + ManifestYaml.Write(kustomization);
        WriteIfChanged(Path.Combine(folder, KustomizationFile), content, cancellationToken);
    }

    internal void RemoveFolderIfEmpty(string stack)
    {
        var folder = StackFolder(stack);
        if (Directory.Exists(folder) &&
            !Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any(file => Path.GetFileName(file) != KustomizationFile || Path.GetDirectoryName(file) != folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal async Task<string[]> IdentityAsync(CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(Root);
        if (s_identities.TryGetValue(root, out var identity))
        {
            return identity;
        }

        // Use the user's identity when git has one; otherwise commit as infra rather than fail.
        var configured = await GitCommand.TryRunAsync(Root, ["config", "user.email"], cancellationToken).ConfigureAwait(false);
        identity = configured.ExitCode == 0 && configured.Output.Trim().Length > 0 ? [] : ["-c", "user.name=infra", "-c", "user.email=infra@localhost"];
        return s_identities.GetOrAdd(root, identity);
    }

    private Task<FileLock> LockStackAsync(string stack, CancellationToken cancellationToken) =>
        FileLock.AcquireAsync(LockPath($"stack-{CheckStackName(stack)}.lock"), cancellationToken);

    private string LockPath(string name) => Path.Combine(Root, ".git", "infra", name);

    private static string CheckStackName(string stack) =>
        stack.Length > 0 && stack != "." && stack != ".." && stack.IndexOfAny(['/', '\\', ':']) < 0 && !stack.StartsWith('.')
            ? stack
            : throw new InfraException($"the stack name '{stack}' cannot name a folder in the GitOps tree.");
}

/// <summary>The folder of one stack, handed out while its lock is held.</summary>
internal sealed class StackFolder(GitOpsRepository repository, string stack)
{
    /// <summary>The stack.</summary>
    public string Stack { get; } = stack;

    /// <summary>Reads a manifest, or <see langword="null"/> when absent.</summary>
    public Task<string?> ReadAsync(string relativePath, CancellationToken cancellationToken) =>
        repository.ReadAsync(Stack, relativePath, cancellationToken);

    /// <summary>Writes a manifest atomically; a file that already holds <paramref name="content"/> is left as it is.</summary>
    public void Write(string relativePath, string content, CancellationToken cancellationToken) =>
        GitOpsRepository.WriteIfChanged(repository.FilePath(Stack, relativePath), content, cancellationToken);

    /// <summary>Deletes a manifest, and its folder when that becomes empty. Deleting a missing file succeeds.</summary>
    public void Delete(string relativePath)
    {
        var path = repository.FilePath(Stack, relativePath);
        File.Delete(path);
        var directory = Path.GetDirectoryName(path)!;
        if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }
}
