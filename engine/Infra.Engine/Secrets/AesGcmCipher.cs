using System.Security.Cryptography;
using System.Text;
using Infra.Values;

namespace Infra.Secrets;

/// <summary>AES-256-GCM with a random nonce per value; ciphertexts look like <c>v1:&lt;nonce&gt;:&lt;ciphertext+tag&gt;</c>.</summary>
internal sealed class AesGcmCipher(byte[] key) : ISecretCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Encrypt(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[data.Length + TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, data, output.AsSpan(0, data.Length), output.AsSpan(data.Length));
        }

        return $"v1:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(output)}";
    }

    public string Decrypt(string ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var parts = ciphertext.Split(':');
        if (parts.Length != 3 || parts[0] != "v1")
        {
            throw new InfraException("A stored secret is not in the expected 'v1:<nonce>:<ciphertext>' form.");
        }

        try
        {
            var nonce = Convert.FromBase64String(parts[1]);
            var input = Convert.FromBase64String(parts[2]);
            if (nonce.Length != NonceSize || input.Length < TagSize)
            {
                throw new InfraException("A stored secret is truncated.");
            }

            var output = new byte[input.Length - TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, input.AsSpan(0, output.Length), input.AsSpan(output.Length), output);
            return Encoding.UTF8.GetString(output);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw new InfraException("A stored secret cannot be decrypted with this stack's key (wrong passphrase or corrupted value).", ex);
        }
    }
}
