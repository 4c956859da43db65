using System.Collections.Immutable;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Infra.Plugins.Manifest;

namespace Infra.Plugins.Registry;

/// <summary>
/// A plugin's package: a <c>.tgz</c> of its files with its published <c>plugin.json</c> at the root. Packing is
/// deterministic (sorted entries, fixed times, owners and modes, no gzip name or time), so the same folder always
/// gives the same bytes and the same sha256, and publishing an unchanged version again is a no-op.
/// </summary>
public static class PluginPackage
{
    private static readonly DateTimeOffset s_epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ExecutableMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The files of <paramref name="manifest"/>'s package, by path in the package: its <c>publish.files</c>, else its whole folder but hidden files.</summary>
    /// <exception cref="ConfigException">A source in <c>publish.files</c> does not exist.</exception>
    public static ImmutableSortedDictionary<string, string> Files(PluginManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var files = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var sources = manifest.Publish is { Files.IsEmpty: false } publish
            ? publish.Files
            : Directory.EnumerateFileSystemEntries(manifest.Directory)
                .Select(Path.GetFileName)
                .Where(static name => name is not null && !name.StartsWith('.') && name is not "node_modules" and not PluginManifest.FileName)
                .ToImmutableDictionary(static name => name!, static name => name!);
        foreach (var (target, source) in sources)
        {
            var full = Path.GetFullPath(source, manifest.Directory);
            if (File.Exists(full))
            {
                files[target] = full;
            }
            else if (Directory.Exists(full))
            {
                foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
                {
                    var relative = Path.GetRelativePath(full, file).Replace(Path.DirectorySeparatorChar, '/');
                    if (!relative.Split('/').Any(static part => part.StartsWith('.')))
                    {
                        files[$"{target}/{relative}"] = file;
                    }
                }
            }
            else
            {
                throw new ConfigException(Path.Combine(manifest.Directory, PluginManifest.FileName), $"publish.files.{target}",
                    $"'{source}' does not exist; build the plugin first (its 'build' steps), or fix the path.");
            }
        }

        files.Remove(PluginManifest.FileName);
        return files.ToImmutable();
    }

    /// <summary>The manifest as published: build steps and the publish section dropped, its publish overrides applied.</summary>
    public static PluginManifest Published(PluginManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var publish = manifest.Publish;
        return manifest with
        {
            Build = [],
            Publish = null,
            Command = publish is { Command.IsDefaultOrEmpty: false } ? publish.Command : manifest.Command,
            Environment = publish?.Environment ?? manifest.Environment,
        };
    }

    /// <summary>Packs <paramref name="manifest"/>'s folder into a deterministic <c>.tgz</c>.</summary>
    public static byte[] Pack(PluginManifest manifest)
    {
        var files = Files(manifest);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            Write(tar, PluginManifest.FileName, Encoding.UTF8.GetBytes(Published(manifest).ToJson()), FileMode);
            foreach (var (target, source) in files)
            {
                var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(source) & UnixFileMode.UserExecute) != 0;
                Write(tar, target, File.ReadAllBytes(source), executable ? ExecutableMode : FileMode);
            }
        }

        return output.ToArray();
    }

    /// <summary>The SHA-256 of <paramref name="bytes"/>, lower-case hex.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A Subresource Integrity hash, <c>sha384-BASE64</c>, as browsers check it.</summary>
    public static string Integrity(ReadOnlySpan<byte> bytes) => "sha384-" + Convert.ToBase64String(SHA384.HashData(bytes));

    /// <summary>The content of the file at <paramref name="path"/> in the package, or <see langword="null"/>.</summary>
    public static byte[]? ReadFile(byte[] package, string path)
    {
        foreach (var (name, content) in Entries(package))
        {
            if (name == path)
            {
                return content;
            }
        }

        return null;
    }

    /// <summary>Unpacks a package into <paramref name="directory"/>, which must not exist. Only regular files are written, never outside the folder.</summary>
    /// <exception cref="InfraException">The package holds a link, a device, or a path that leaves the folder.</exception>
    public static void Unpack(byte[] package, string directory)
    {
        ArgumentNullException.ThrowIfNull(package);
        Directory.CreateDirectory(directory);
        foreach (var (name, content) in Entries(package))
        {
            var target = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, content);
        }
    }

    /// <summary>
    /// A digest of an unpacked folder's files (paths and contents), recorded in the lock at install and checked before
    /// each operation, so an installed plugin edited in place is noticed.
    /// </summary>
    public static string TreeDigest(string directory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
                     .Order(StringComparer.Ordinal))
        {
            text.Append(file).Append('\0').Append(Sha256(File.ReadAllBytes(Path.Combine(directory, file)))).Append('\n');
        }

        return Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static IEnumerable<(string Name, byte[] Content)> Entries(byte[] package)
    {
        using var input = new GZipStream(new MemoryStream(package), CompressionMode.Decompress);
        using var tar = new TarReader(input);
        while (tar.GetNextEntry(copyData: true) is { } entry)
        {
            if (entry.EntryType is TarEntryType.Directory)
            {
                continue;
            }

            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !PackagePaths.IsSafe(entry.Name))
            {
                throw new InfraException($"the package holds '{entry.Name}' ({entry.EntryType}); a plugin package holds regular files inside its folder only.");
            }

            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            yield return (entry.Name, content.ToArray());
        }
    }

    private static void Write(TarWriter tar, string name, byte[] content, UnixFileMode mode)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            ModificationTime = s_epoch,
            Mode = mode,
            Uid = 0,
            Gid = 0,
            UserName = string.Empty,
            GroupName = string.Empty,
            DataStream = new MemoryStream(content, writable: false),
        };
        tar.WriteEntry(entry);
    }
}
