using Infra.Values;

namespace Infra.Secrets;

/// <summary>
/// Makes the cipher that protects one stack's secrets. The passphrase provider is built in; cloud KMS or Key
/// Vault providers implement this interface and are chosen by the stack's <c>secretsprovider</c> setting.
/// </summary>
public interface ISecretsProvider
{
    /// <summary>The name stored in <c>secretsprovider</c>, e.g. <c>passphrase</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Creates the provider's settings for a new stack: the value stored in <c>encryptionsalt</c>.
    /// </summary>
    string InitializeStack();

    /// <summary>Opens the cipher for a stack from its stored settings.</summary>
    /// <param name="settings">The stored <c>encryptionsalt</c> value.</param>
    /// <param name="settingsFile">The settings file, named in errors.</param>
    /// <exception cref="InfraException">The key material is missing or wrong (for example an incorrect passphrase).</exception>
    ISecretCipher Open(string settings, string settingsFile);

    /// <summary>
    /// False for a ciphertext in an older format of this provider's (not bound to its <see cref="SecretContext"/>),
    /// which its owner re-encrypts on its next write. Answered from the text alone, without the key.
    /// </summary>
    bool IsCurrent(string ciphertext) => true;
}
