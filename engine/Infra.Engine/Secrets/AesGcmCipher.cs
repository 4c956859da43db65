using System.Security.Cryptography;
using System.Text;
using Infra.Values;

namespace Infra.Secrets;

/// <summary>
/// AES-256-GCM with a random nonce per value. Ciphertexts are <c>v2:&lt;nonce&gt;:&lt;ciphertext+tag&gt;</c>, base64, with
/// the value's <see cref="SecretContext"/> as associated data, so a ciphertext decrypts only where it was written.
/// <c>v1:</c> ciphertexts, written before contexts were bound, have no associated data: they still decrypt anywhere,
/// and their owners re-encrypt them as <c>v2:</c> on their next write (see docs/state-format.md).
/// </summary>
internal sealed class AesGcmCipher(byte[] key) : ISecretCipher
{
    /// <summary>The prefix of ciphertexts bound to a context.</summary>
    public const string BoundPrefix = "v2:";

    private const string UnboundPrefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>False for a ciphertext written before contexts were bound, which its next write should replace.</summary>
    public static bool IsBound(string ciphertext) => ciphertext.StartsWith(BoundPrefix, StringComparison.Ordinal);

    public string Encrypt(string plaintext, SecretContext context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[data.Length + TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, data, output.AsSpan(0, data.Length), output.AsSpan(data.Length), context.AssociatedData());
        }

        return $"{BoundPrefix}{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(output)}";
    }

    public string Decrypt(string ciphertext, SecretContext context)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var parts = ciphertext.Split(':');
        var bound = IsBound(ciphertext);
        if (parts.Length != 3 || !(bound || ciphertext.StartsWith(UnboundPrefix, StringComparison.Ordinal)))
        {
            throw new InfraException($"{Capitalized(context)} is not in the expected 'v2:<nonce>:<ciphertext>' form.");
        }

        try
        {
            var nonce = Convert.FromBase64String(parts[1]);
            var input = Convert.FromBase64String(parts[2]);
            if (nonce.Length != NonceSize || input.Length < TagSize)
            {
                throw new InfraException($"{Capitalized(context)} is truncated.");
            }

            var output = new byte[input.Length - TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, input.AsSpan(0, output.Length), input.AsSpan(output.Length), output, bound ? context.AssociatedData() : null);
            return Encoding.UTF8.GetString(output);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw new InfraException(
                $"{Capitalized(context)} does not decrypt here: it was encrypted for another key, stack, resource or property, altered, or made with another passphrase.",
                ex);
        }
    }

    /// <summary>HKDF-SHA256 of the stack's AES key, with the purpose as info, so each purpose gets an independent key.</summary>
    public byte[] DeriveKey(string purpose, int length)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, key, length, salt: null, info: Encoding.UTF8.GetBytes("infra-derived-key/v1\0" + purpose));
    }

    private static string Capitalized(SecretContext context)
    {
        var text = context.ToString();
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
