namespace Infra.Backups;

/// <summary>
/// Where the key that authenticates a tenant's backup manifests comes from: the secret config
/// <see cref="ConfigKey"/> when set (one key an operator can share between stacks, so a backup verifies wherever the
/// key is configured), else a key derived from the stack's secrets provider for <see cref="Purpose"/>, so backup and
/// restore need no platform stack and no extra config. Either way the tenant cannot read it: it holds neither the
/// config passphrase nor the stack's settings.
/// </summary>
public static class ManifestKeys
{
    /// <summary>The secret config key holding an explicit manifest key.</summary>
    public const string ConfigKey = "backup:manifestKey";

    /// <summary>The purpose a derived manifest key is bound to.</summary>
    public const string Purpose = "tenant backup manifest";

    /// <summary>The least characters an explicit key may have.</summary>
    public const int MinimumLength = 32;

    /// <summary>Returns why <paramref name="key"/> cannot authenticate manifests, or null.</summary>
    public static string? Problem(string key) =>
        key.Length < MinimumLength ? $"is {key.Length} characters; a manifest key needs at least {MinimumLength} (for example: openssl rand -base64 32)" : null;
}
