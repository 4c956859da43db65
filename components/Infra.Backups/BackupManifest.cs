using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infra.Backups;

/// <summary>
/// What is written next to each dump (<c>&lt;tenant&gt;-&lt;time&gt;.manifest.json</c>): whose backup it is, when it
/// was taken, and the size and SHA-256 of the dump, which restore checks before touching anything.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>The manifest format written and read.</summary>
    public const string CurrentFormat = "infra-tenant-backup/v1";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

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

    /// <summary>The dump's file name, in the manifest's folder.</summary>
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

    /// <summary>The manifest path for a dump path: <c>acme-20250101T030000Z.dump</c> → <c>acme-20250101T030000Z.manifest.json</c>.</summary>
    public static string PathFor(string dumpPath) => Path.ChangeExtension(dumpPath, ".manifest.json");

    /// <summary>Writes the manifest to <paramref name="path"/> whole or not at all.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var temporary = path + ".partial";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, s_json) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="InfraException">It is missing, malformed or of another format.</exception>
    public static async Task<BackupManifest> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new InfraException($"backup manifest '{path}' does not exist; restore needs the manifest written next to the dump.");
        }

        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), s_json);
            return manifest is { Format: CurrentFormat }
                ? manifest
                : throw new InfraException($"backup manifest '{path}' has format '{manifest?.Format}', not '{CurrentFormat}'.");
        }
        catch (JsonException ex)
        {
            throw new InfraException($"backup manifest '{path}' is not valid: {ex.Message}");
        }
    }
}
