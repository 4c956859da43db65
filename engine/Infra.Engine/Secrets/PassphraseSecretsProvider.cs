using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Infra.Values;

namespace Infra.Secrets;

/// <summary>
/// Secrets encrypted with a key derived from a passphrase: PBKDF2-HMAC-SHA256 (600,000 iterations, a random
/// 16-byte salt per stack) and AES-256-GCM with a random 12-byte nonce per value. The passphrase comes from
/// <c>INFRA_CONFIG_PASSPHRASE</c> or the file named by <c>INFRA_CONFIG_PASSPHRASE_FILE</c>.
/// </summary>
/// <remarks>
/// The stored settings are <c>v1:&lt;salt&gt;:&lt;check&gt;</c>, where the check is a known text encrypted with the
/// derived key, so a wrong passphrase is reported at once instead of as a failed decryption later. Derived keys
/// are cached per provider instance: one CLI run or one Automation API workspace derives each stack's key once.
/// </remarks>
public sealed class PassphraseSecretsProvider : ISecretsProvider
{
    /// <summary>The environment variable holding the passphrase.</summary>
    public const string PassphraseVariable = "INFRA_CONFIG_PASSPHRASE";

    /// <summary>The environment variable naming a file that holds the passphrase.</summary>
    public const string PassphraseFileVariable = "INFRA_CONFIG_PASSPHRASE_FILE";

    internal const int Iterations = 600_000;
    private const string CheckText = "infra-passphrase-check";

    private readonly Func<string?> _passphrase;
    private readonly ConcurrentDictionary<string, Lazy<AesGcmCipher>> _ciphers = new(StringComparer.Ordinal);

    /// <summary>Creates a provider whose passphrase is read from the environment when first needed.</summary>
    public PassphraseSecretsProvider() : this(ReadPassphraseFromEnvironment)
    {
    }

    /// <summary>Creates a provider with a passphrase source, e.g. an Automation API option.</summary>
    public PassphraseSecretsProvider(Func<string?> passphrase) => _passphrase = passphrase;

    /// <inheritdoc/>
    public string Name => "passphrase";

    /// <inheritdoc/>
    public string InitializeStack()
    {
        var passphrase = RequirePassphrase("a new stack");
        var salt = RandomNumberGenerator.GetBytes(16);
        var cipher = new AesGcmCipher(DeriveKey(passphrase, salt));
        var settings = $"v1:{Convert.ToBase64String(salt)}:{cipher.Encrypt(CheckText, SecretContext.None)}";
        // The key was just derived: opening the new stack in this process (to set a secret, to run up) must not pay
        // the 600,000 iterations a second time.
        _ciphers.TryAdd(CacheKey(settings, passphrase), new Lazy<AesGcmCipher>(() => cipher));
        return settings;
    }

    /// <inheritdoc/>
    public ISecretCipher Open(string settings, string settingsFile)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var passphrase = RequirePassphrase(settingsFile);
        var cacheKey = CacheKey(settings, passphrase);
        var lazy = _ciphers.GetOrAdd(cacheKey, _ => new Lazy<AesGcmCipher>(() => OpenCore(settings, passphrase, settingsFile)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _ciphers.TryRemove(cacheKey, out _);
            throw;
        }
    }

    /// <inheritdoc/>
    public bool IsCurrent(string ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        return AesGcmCipher.IsBound(ciphertext);
    }

    private static string CacheKey(string settings, string passphrase) =>
        settings + "\n" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passphrase)));

    private static AesGcmCipher OpenCore(string settings, string passphrase, string settingsFile)
    {
        var parts = settings.Split(':', 3);
        if (parts.Length != 3 || parts[0] != "v1")
        {
            throw new ConfigException(settingsFile, "encryptionsalt", "is not a valid passphrase salt (expected 'v1:<salt>:<check>').");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException ex)
        {
            throw new ConfigException(settingsFile, "encryptionsalt", "the salt is not valid base64.", ex);
        }

        var cipher = new AesGcmCipher(DeriveKey(passphrase, salt));
        string check;
        try
        {
            check = cipher.Decrypt(parts[2], SecretContext.None);
        }
        catch (InfraException)
        {
            check = string.Empty;
        }

        if (check != CheckText)
        {
            throw new ConfigException(settingsFile, null,
                $"incorrect passphrase: it does not unlock this stack's secrets; check {PassphraseVariable} or {PassphraseFileVariable}.");
        }

        return cipher;
    }

    private string RequirePassphrase(string forWhat)
    {
        var passphrase = _passphrase();
        if (string.IsNullOrEmpty(passphrase))
        {
            throw new InfraException(
                $"{forWhat}: the passphrase secrets provider needs a passphrase; set {PassphraseVariable} or {PassphraseFileVariable}.");
        }

        return passphrase;
    }

    private static byte[] DeriveKey(string passphrase, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, Iterations, HashAlgorithmName.SHA256, 32);

    private static string? ReadPassphraseFromEnvironment()
    {
        var direct = Environment.GetEnvironmentVariable(PassphraseVariable);
        if (direct is not null)
        {
            return direct;
        }

        var file = Environment.GetEnvironmentVariable(PassphraseFileVariable);
        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        if (!File.Exists(file))
        {
            throw new InfraException($"{PassphraseFileVariable} names '{file}', which does not exist.");
        }

        return File.ReadAllText(file).TrimEnd('\r', '\n');
    }
}
