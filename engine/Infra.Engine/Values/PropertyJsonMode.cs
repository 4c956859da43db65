namespace Infra.Values;

/// <summary>How <see cref="PropertyJson"/> writes and reads secret values.</summary>
public enum PropertyJsonMode
{
    /// <summary>Secrets carry their plaintext: only for the in-process or provider wire, never for storage or display.</summary>
    Plaintext,

    /// <summary>Secrets carry ciphertext from an <see cref="ISecretCipher"/>: state, exports and saved plans.</summary>
    Encrypted,

    /// <summary>Secrets print as <c>[secret]</c>: anything a person or a log may see.</summary>
    Masked,
}
