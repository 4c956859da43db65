using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infra.Backups;

/// <summary>
/// What is written next to each dump (<c>&lt;tenant&gt;-&lt;time&gt;.manifest.json</c>): whose backup it is, when it
/// was taken, the size and SHA-256 of the dump, and an HMAC-SHA256 over all of it (<see cref="Mac"/>) with a key the
/// tenant cannot read (<see cref="ManifestKeys"/>). Restore checks the MAC before it believes any field, so a manifest
/// written or edited by anyone without the key, naming another tenant's dump or another dump, is refused.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>The manifest format written and read.</summary>
    public const string CurrentFormat = "infra-tenant-backup/v2";

    /// <summary>The most a manifest file may hold; ours are well under 1 KiB.</summary>
    public const int MaxBytes = 64 * 1024;

    private const string Extension = ".manifest.json";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A field the MAC does not cover must not be read: the whole manifest is what is authenticated.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions s_canonical = new(s_json) { WriteIndented = false };

    /// <summary>The manifest format.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The tenant id.</summary>
    public required string Tenant { get; init; }

    /// <summary>The tenant's stack.</summary>
    public required string Stack { get; init; }

    /// <summary>The database dumped.</summary>
    public required string Database { get; init; }

    /// <summary>When the dump started (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The dump's file name, bare, in the manifest's folder.</summary>
    public required string DumpFile { get; init; }

    /// <summary><c>custom</c>: pg_dump -Fc, restorable with pg_restore.</summary>
    public string DumpFormat { get; init; } = "custom";

    /// <summary>The dump's size.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>The dump's SHA-256, hex.</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }

    /// <summary>The server's version.</summary>
    public required string ServerVersion { get; init; }

    /// <summary>The pg_dump that made the dump.</summary>
    public required string PgDumpVersion { get; init; }

    /// <summary>
    /// HMAC-SHA256, hex, over the manifest's every other field in canonical form (compact JSON in declaration order),
    /// keyed by the stack's manifest key.
    /// </summary>
    public string? Mac { get; init; }

    /// <summary>The manifest path for a dump path: <c>acme-20250101T030000Z.dump</c> → <c>acme-20250101T030000Z.manifest.json</c>.</summary>
    public static string PathFor(string dumpPath) => Path.ChangeExtension(dumpPath, Extension);

    /// <summary>True for a manifest's path rather than a dump's.</summary>
    public static bool IsManifestPath(string path) => path.EndsWith(Extension, StringComparison.Ordinal);

    /// <summary>Returns why <paramref name="name"/> cannot be a dump's file name (it must be bare, in the manifest's folder), or null.</summary>
    public static string? DumpFileProblem(string name) =>
        name.Length == 0 ? "is empty"
        : name is "." or ".." || name.Contains("..", StringComparison.Ordinal) ? "contains '..'"
        : name.IndexOfAny(['/', '\\', '\0']) >= 0 || Path.IsPathRooted(name) ? "is not a bare file name (it holds a path separator or is absolute)"
        : name.EndsWith(BackupFolder.PartialSuffix, StringComparison.Ordinal) ? "is an unfinished dump"
        : null;

    /// <summary>This manifest with its <see cref="Mac"/> set under <paramref name="key"/>.</summary>
    public BackupManifest Signed(ReadOnlySpan<byte> key) => this with { Mac = ComputeMac(key) };

    /// <summary>True when <see cref="Mac"/> is the MAC of this manifest under <paramref name="key"/>.</summary>
    public bool HasValidMac(ReadOnlySpan<byte> key)
    {
        if (Mac is null || Mac.Length != SHA256.HashSizeInBytes * 2)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(Mac);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Convert.FromHexString(ComputeMac(key)));
    }

    /// <summary>Writes the manifest to <paramref name="path"/> whole or not at all, readable by its owner only.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var temporary = path + BackupFolder.PartialSuffix;
        await BackupFolder.WritePrivateAsync(temporary, JsonSerializer.Serialize(this, s_json) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a manifest; its MAC is not checked here.</summary>
    /// <exception cref="InfraException">It is missing, too large, malformed or of another format.</exception>
    public static async Task<BackupManifest> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new InfraException($"backup manifest '{path}' does not exist; restore needs the manifest written next to the dump.");
        }

        if (file.Length > MaxBytes)
        {
            throw new InfraException($"backup manifest '{path}' is {file.Length} bytes, more than the {MaxBytes} a manifest may hold; nothing was restored.");
        }

        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), s_json);
            return manifest is { Format: CurrentFormat }
                ? manifest
                : throw new InfraException(
                    $"backup manifest '{path}' has format {ErrorText.Quote(manifest?.Format)}, not '{CurrentFormat}'; a manifest from before manifests were authenticated cannot be trusted: take a new backup.");
        }
        catch (JsonException ex)
        {
            throw new InfraException($"backup manifest '{path}' is not valid: {ErrorText.Excerpt(ex.Message)}");
        }
    }

    private string ComputeMac(ReadOnlySpan<byte> key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, JsonSerializer.SerializeToUtf8Bytes(this with { Mac = null }, s_canonical)));
}
