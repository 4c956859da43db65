using System.Text;
using Infra.Configuration;

namespace Infra.Providers.Kubernetes.GitOps;

/// <summary>
/// Stores a commit round's new and changed files as blobs in one pack (<c>git fast-import</c>) before <c>git add</c>
/// stages them, so that add finds them stored and writes none of its own. Left to itself, add stores each new file as
/// a loose object: a file made and renamed per manifest, about twenty per tenant, which on ext4 cost more CPU than the
/// rest of the round's git work together. The pack is two files whatever the round carries.
/// </summary>
/// <remarks>
/// Only an optimisation, never what decides the commit: add still reads every file and stages what git's own rules
/// say (ignore files, filters, modes), with the stat data that spares later adds and <c>git status</c> from re-reading
/// them. A blob packed here that add does not use (a file changed again in between, one git ignores or converts) is
/// an unreferenced object that <c>git gc</c> prunes. A fast-import that dies changes no ref and no index, and leaves
/// at most a temporary pack file that <c>git gc</c> removes.
/// </remarks>
internal sealed class RoundPack
{
    /// <summary>
    /// Rounds with fewer candidate files leave them to <c>git add</c>: a few loose objects cost less than starting
    /// fast-import, and every pack is one more for git to search until <c>git gc</c> merges them.
    /// </summary>
    internal const int MinimumFiles = 16;

    // A file written this long before the stack's last round began may still have missed it (clocks are coarse).
    private static readonly TimeSpan s_clockSlack = TimeSpan.FromSeconds(2);

    // Only valid UTF-8 crosses the text pipe to git byte for byte; any other file is left to git add.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly EnumerationOptions s_everyFile = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
    };

    // When each stack's last round began: files older than that went into git then, and are not read again.
    private readonly Dictionary<string, DateTime> _lastRound = new(StringComparer.Ordinal);

    /// <summary>
    /// Packs the files of <paramref name="stacks"/>' folders written since each stack's last round in this process
    /// (all of them for a stack's first), when there are at least <see cref="MinimumFiles"/>. Called by one commit round
    /// at a time, holding the repository's git lock.
    /// </summary>
    /// <returns>How many files were packed (0 when the round leaves them to <c>git add</c>).</returns>
    /// <exception cref="InfraException">git fast-import failed.</exception>
    public async Task<int> PackAsync(string root, IReadOnlyList<string> stacks, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var files = new List<FileInfo>();
        foreach (var stack in stacks)
        {
            var folder = new DirectoryInfo(Path.Combine(root, stack));
            var since = _lastRound.TryGetValue(stack, out var last) ? last - s_clockSlack : DateTime.MinValue;
            _lastRound[stack] = started;
            try
            {
                files.AddRange(folder.EnumerateFiles("*", s_everyFile).Where(file => file.LastWriteTimeUtc >= since && file.Length <= SafeYaml.MaxFileBytes));
            }
            catch (IOException)
            {
                // The folder is gone (a destroy removed it) or went while it was read: git add finds what there is.
            }
        }

        if (files.Count < MinimumFiles)
        {
            return 0;
        }

        var stream = new StringBuilder();
        var packed = 0;
        foreach (var file in files)
        {
            byte[] bytes;
            string text;
            try
            {
                bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
                text = s_strictUtf8.GetString(bytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
            {
                // Gone since it was listed, unreadable, or not UTF-8: git add reads and stores it as it always did.
                continue;
            }

            stream.Append("blob\ndata ").Append(bytes.Length).Append('\n').Append(text).Append('\n');
            packed++;
        }

        // unpackLimit=0 keeps the pack however few objects are new (git's default unpacks up to 100 into loose files);
        // depth=0 spends no CPU on deltas between unrelated manifests, which git gc computes properly later.
        await GitCommand.RunAsync(root, ["-c", "fastimport.unpackLimit=0", "fast-import", "--quiet", "--depth=0"], cancellationToken, stream.ToString())
            .ConfigureAwait(false);
        return packed;
    }
}
