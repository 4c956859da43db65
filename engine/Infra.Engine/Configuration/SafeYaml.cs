using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Infra.Configuration;

/// <summary>
/// The one reader of YAML that anyone else wrote: <c>Pulumi.yaml</c>, stack settings, <c>plans.yaml</c>, manifests read
/// back from a GitOps tree. It owns the limits that keep a few hundred hostile bytes from stalling or crashing the
/// process that hosts the engine: at most <see cref="MaxFileBytes"/> per file, nesting at most <see cref="MaxDepth"/>
/// deep, no aliases and no complex (list or mapping) keys. Past a limit, or on malformed YAML, it throws one
/// <see cref="ConfigException"/> naming the file and the limit.
/// </summary>
/// <remarks>
/// The limits are checked on the parser's event stream, before YamlDotNet's representation model builds any node:
/// that model builds nested nodes recursively, so a value nested 50,000 deep would otherwise overflow the stack, which
/// no <c>catch</c> can stop. Aliases are refused rather than counted because nothing we read needs them, and a
/// 500-byte file of five levels of ten aliases each expands into a hundred thousand values wherever it is walked.
/// </remarks>
public static class SafeYaml
{
    /// <summary>The largest YAML file read: 1 MiB.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The deepest nesting of mappings and lists, counting the top-level mapping as one.</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads a YAML file's text, refusing one larger than <see cref="MaxFileBytes"/>.</summary>
    /// <exception cref="ConfigException">The file is too large.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static string ReadFile(string path)
    {
        using var stream = Open(path);
        var buffer = new byte[InitialBufferSize(stream)];
        var length = 0;
        int read;
        while ((read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (!Grow(ref buffer, length))
            {
                break;
            }
        }

        return Decode(path, buffer, length);
    }

    /// <inheritdoc cref="ReadFile"/>
    public static async Task<string> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var stream = Open(path);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[InitialBufferSize(stream)];
            var length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (!Grow(ref buffer, length))
                {
                    break;
                }
            }

            return Decode(path, buffer, length);
        }
    }

    /// <summary>Reads and parses a YAML file within the limits.</summary>
    /// <exception cref="ConfigException">The file is too large, too deep, uses an alias or a complex key, or is malformed.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static YamlStream LoadFile(string path) => Parse(ReadFile(path), path);

    /// <summary>Parses YAML text within the limits.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="source">Where the text came from (a file path, or e.g. "helm template output"), named in errors.</param>
    /// <param name="maxBytes">The size limit: <see cref="MaxFileBytes"/> unless the text is a stream of many files.</param>
    /// <exception cref="ConfigException">The text is too large, too deep, uses an alias or a complex key, or is malformed.</exception>
    public static YamlStream Parse(string text, string source, int maxBytes = MaxFileBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        // Characters are at least one UTF-8 byte each, so only texts near the limit need counting.
        if (text.Length > maxBytes || (text.Length > maxBytes / 3 && Encoding.UTF8.GetByteCount(text) > maxBytes))
        {
            throw TooLarge(source, maxBytes);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new LimitedParser(new Parser(new StringReader(text)), source));
        }
        catch (YamlException ex)
        {
            throw new ConfigException(source, null, $"malformed YAML at line {ex.Start.Line}, column {ex.Start.Column}: {FirstLine(ex.Message)}", ex);
        }

        return stream;
    }

    private static FileStream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
    }

    // Room for the file as it is now plus one byte, to see that it ended; a file that is not seekable starts small.
    private static int InitialBufferSize(FileStream stream) =>
        (int)Math.Min(stream.CanSeek ? stream.Length : 4096, MaxFileBytes) + 1;

    // Doubles a full buffer up to one byte past the limit; false once the buffer is full at that size.
    private static bool Grow(ref byte[] buffer, int length)
    {
        if (length < buffer.Length)
        {
            return true;
        }

        if (buffer.Length > MaxFileBytes)
        {
            return false;
        }

        Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxFileBytes + 1));
        return true;
    }

    // The buffer holds one byte past the limit at most: a file is never read whole, as it may be huge, or a device
    // that never ends.
    private static string Decode(string path, byte[] buffer, int length)
    {
        if (length > MaxFileBytes)
        {
            throw TooLarge(path, MaxFileBytes);
        }

        var bytes = buffer.AsSpan(0, length);
        var bom = Encoding.UTF8.Preamble;
        return Encoding.UTF8.GetString(bytes.StartsWith(bom) ? bytes[bom.Length..] : bytes);
    }

    private static ConfigException TooLarge(string source, int maxBytes) =>
        new(source, null, $"larger than {Size(maxBytes)}, the limit for a YAML file.");

    private static string Size(int bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";

    // YamlDotNet's message without its position prefix; it may quote a tag or anchor, so it is cut like any input.
    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var paren = line.IndexOf("): ", StringComparison.Ordinal);
        return ErrorText.Excerpt(paren >= 0 ? line[(paren + 3)..] : line);
    }

    /// <summary>
    /// Passes the parser's events through, refusing deep nesting, aliases, complex keys and repeated keys as they arrive
    /// (the representation model would report a repeated key as an ArgumentException that quotes the whole key).
    /// </summary>
    private sealed class LimitedParser(IParser inner, string source) : IParser
    {
        // For each open collection: whether it is a mapping, how many nodes it holds so far (keys at even counts) and,
        // for a mapping, the keys seen.
        private readonly bool[] _isMapping = new bool[MaxDepth + 1];
        private readonly int[] _count = new int[MaxDepth + 1];
        private readonly HashSet<string>?[] _keys = new HashSet<string>?[MaxDepth + 1];
        private int _depth;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            switch (inner.Current)
            {
                case AnchorAlias alias:
                    throw Refuse(alias, $"the alias {ErrorText.Quote("*" + alias.Value)} is not allowed (aliases can expand a small file into gigabytes); write the value out");
                case Scalar scalar:
                    if (IsKeyPosition && !(_keys[_depth] ??= new HashSet<string>(StringComparer.Ordinal)).Add(scalar.Value))
                    {
                        throw Refuse(scalar, $"the key {ErrorText.Quote(scalar.Value)} appears twice in one mapping");
                    }

                    NodeCompleted();
                    break;
                case NodeEvent start and (MappingStart or SequenceStart):
                    if (IsKeyPosition)
                    {
                        throw Refuse(start, "a complex mapping key (a list or mapping used as a key) is not allowed; keys are plain text");
                    }

                    if (_depth == MaxDepth)
                    {
                        throw Refuse(start, $"nesting deeper than {MaxDepth} levels is not allowed");
                    }

                    _depth++;
                    _isMapping[_depth] = start is MappingStart;
                    _count[_depth] = 0;
                    _keys[_depth]?.Clear();
                    break;
                case MappingEnd or SequenceEnd:
                    _depth--;
                    NodeCompleted();
                    break;
            }

            return true;
        }

        private bool IsKeyPosition => _depth > 0 && _isMapping[_depth] && _count[_depth] % 2 == 0;

        // A scalar is complete when it arrives; a collection counts in its parent when it ends.
        private void NodeCompleted()
        {
            if (_depth > 0)
            {
                _count[_depth]++;
            }
        }

        private ConfigException Refuse(ParsingEvent at, string problem) =>
            new(source, null, $"{problem} (line {at.Start.Line}, column {at.Start.Column}).");
    }
}
