using Infra.Values;

namespace Infra.Configuration;

/// <summary>
/// Keeps a settings file's <c>secure:</c> values bound to their stack and key (<see cref="SecretContext.ConfigValue"/>)
/// when the file is written: values copied from another stack are re-encrypted for the new one, and values written
/// before ciphertexts were bound are re-encrypted in the current format.
/// </summary>
internal static class ConfigSecrets
{
    /// <summary>True when some secure value is not in the current format (<paramref name="isCurrent"/>).</summary>
    public static bool HasOutdated(StackSettingsFile settings, Func<string, bool> isCurrent) =>
        settings.Config.Values.Any(value => value.IsSecret && !isCurrent(value.Value));

    /// <summary>
    /// Re-encrypts for stack <paramref name="to"/> every secure value of <paramref name="settings"/> that was written
    /// for stack <paramref name="from"/>, when the stacks differ, or that is not current, when they are the same.
    /// </summary>
    /// <exception cref="InfraException">A value does not decrypt (it was moved from another key or stack).</exception>
    public static StackSettingsFile Rebind(StackSettingsFile settings, ISecretCipher cipher, Func<string, bool> isCurrent, string from, string to)
    {
        var config = settings.Config;
        foreach (var (key, value) in settings.Config)
        {
            if (!value.IsSecret || (from == to && isCurrent(value.Value)))
            {
                continue;
            }

            var plaintext = cipher.Decrypt(value.Value, SecretContext.ConfigValue(from, key));
            config = config.SetItem(key, value with { Value = cipher.Encrypt(plaintext, SecretContext.ConfigValue(to, key)) });
        }

        return settings with { Config = config };
    }
}
