namespace Infra.Values;

/// <summary>Encrypts and decrypts single secret values for storage. A stack's secrets provider supplies one.</summary>
public interface ISecretCipher
{
    /// <summary>Encrypts <paramref name="plaintext"/>; the result is safe to store and print.</summary>
    string Encrypt(string plaintext);

    /// <summary>Decrypts a value produced by <see cref="Encrypt"/>.</summary>
    /// <exception cref="InfraException">The ciphertext is malformed or was made with another key.</exception>
    string Decrypt(string ciphertext);
}
