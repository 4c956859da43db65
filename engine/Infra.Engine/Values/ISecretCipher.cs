namespace Infra.Values;

/// <summary>
/// Encrypts and decrypts single secret values for storage, each bound to where it is stored (a
/// <see cref="SecretContext"/>). A stack's secrets provider supplies one.
/// </summary>
public interface ISecretCipher
{
    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="context"/>; the result is safe to store and print.</summary>
    string Encrypt(string plaintext, SecretContext context);

    /// <summary>Decrypts a value produced by <see cref="Encrypt"/> for the same <paramref name="context"/>.</summary>
    /// <exception cref="InfraException">
    /// The ciphertext is malformed, was made with another key, or was made for another context (moved from another
    /// key, stack, resource or property); the message names <paramref name="context"/>.
    /// </exception>
    string Decrypt(string ciphertext, SecretContext context);

    /// <summary>
    /// Derives a key of <paramref name="length"/> bytes for another use (such as authenticating backup manifests)
    /// from the stack's key material, bound to <paramref name="purpose"/>: the same stack and purpose always give the
    /// same key, and nothing about the stack's own key can be learned from it.
    /// </summary>
    /// <exception cref="InfraException">This secrets provider cannot derive keys; the message says what to configure instead.</exception>
    byte[] DeriveKey(string purpose, int length) =>
        throw new InfraException($"this stack's secrets provider cannot derive a key for {ErrorText.Quote(purpose)}; configure one explicitly.");
}
