using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Infra.Plugins.Registry;

/// <summary>
/// A publisher's Ed25519 key pair (NSec). The private key signs releases at <c>publish</c>; projects trust the public
/// key, written <c>ed25519:BASE64</c>, in <c>Pulumi.yaml</c> under <c>plugins.trustedKeys</c>.
/// </summary>
public sealed class PublisherKey : IDisposable
{
    /// <summary>The first line of a private key file.</summary>
    public const string PrivateKeyHeader = "infra-plugin-private-key/1 ed25519";

    private static readonly SignatureAlgorithm s_algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private PublisherKey(Key key)
    {
        _key = key;
        PublicKey = PublicKeyText.Of(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public key, <c>ed25519:BASE64</c>.</summary>
    public string PublicKey { get; }

    /// <summary>A new random key pair.</summary>
    public static PublisherKey Generate() =>
        new(Key.Create(s_algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Reads a private key file written by <see cref="Save"/>.</summary>
    /// <exception cref="ConfigException">The file is missing or is not a private key.</exception>
    public static PublisherKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ConfigException(path, null, "the publisher key does not exist; create one with 'infra plugin keygen'.");
        }

        var lines = File.ReadAllLines(path);
        byte[] seed;
        try
        {
            seed = lines is [PrivateKeyHeader, var encoded, ..] ? Convert.FromBase64String(encoded.Trim()) : [];
        }
        catch (FormatException)
        {
            seed = [];
        }

        if (seed.Length != 32)
        {
            throw new ConfigException(path, null, $"not a publisher private key; expected '{PrivateKeyHeader}' and a base64 key, as 'infra plugin keygen' writes.");
        }

        return new PublisherKey(Key.Import(s_algorithm, seed, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>Writes the private key to <paramref name="path"/> (owner-only) and the public key beside it, <c>.pub</c>.</summary>
    /// <exception cref="InfraException">The file exists already: a key is never overwritten.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            throw new InfraException($"'{path}' exists already; choose another file, a publisher key is never overwritten.");
        }

        var seed = Convert.ToBase64String(_key.Export(KeyBlobFormat.RawPrivateKey));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, Encoding.UTF8, options))
        {
            writer.Write($"{PrivateKeyHeader}\n{seed}\n");
        }

        File.WriteAllText(path + ".pub", PublicKey + "\n");
    }

    /// <summary>Signs <paramref name="data"/>; the signature in base64.</summary>
    public string Sign(ReadOnlySpan<byte> data) => Convert.ToBase64String(s_algorithm.Sign(_key, data));

    /// <summary>True when <paramref name="signature"/> (base64) is <paramref name="publicKey"/>'s signature of <paramref name="data"/>.</summary>
    public static bool Verify(string publicKey, ReadOnlySpan<byte> data, string signature)
    {
        if (!PublicKeyText.TryDecode(publicKey, out var raw) ||
            !NSec.Cryptography.PublicKey.TryImport(s_algorithm, raw, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return s_algorithm.Verify(key, data, bytes);
    }

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}

/// <summary>The text form of a public key, <c>ed25519:BASE64</c>, and its short id for messages.</summary>
public static class PublicKeyText
{
    private const string Prefix = "ed25519:";

    /// <summary>The text of a raw 32-byte Ed25519 public key.</summary>
    public static string Of(ReadOnlySpan<byte> raw) => Prefix + Convert.ToBase64String(raw);

    /// <summary>Decodes <c>ed25519:BASE64</c> into the raw key.</summary>
    public static bool TryDecode(string? text, out byte[] raw)
    {
        raw = [];
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            raw = Convert.FromBase64String(text[Prefix.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return raw.Length == 32;
    }

    /// <summary>A short, stable id of a key for messages: the first 8 bytes of its SHA-256, in hex.</summary>
    public static string Id(string text) =>
        TryDecode(text, out var raw) ? Convert.ToHexStringLower(SHA256.HashData(raw))[..16] : "unreadable";
}
