using System.Text.Json;
using Infra.Configuration;
using Infra.Locks;
using Infra.State;
using Infra.Values;

namespace Infra.Automation;

/// <summary>
/// One stack in a <see cref="Workspace"/>: its config, its operations (preview, up, refresh, destroy), its outputs,
/// history and state. Instances are cheap; create one per use, from any thread.
/// </summary>
public sealed partial class WorkspaceStack
{
    internal WorkspaceStack(Workspace workspace, string name)
    {
        Workspace = workspace;
        Name = name;
    }

    /// <summary>The workspace.</summary>
    public Workspace Workspace { get; }

    /// <summary>The stack name.</summary>
    public string Name { get; }

    /// <summary>The stack settings file's path.</summary>
    public string SettingsPath => Workspace.Project.StackSettingsPath(Name);

    /// <summary>Reads the stack's config with every layer applied.</summary>
    public StackConfig GetConfig()
    {
        var settings = Workspace.LoadSettings(Name);
        return new StackConfig(Workspace.Project, Name, settings, CipherFactory(settings), Workspace.Options.Environment);
    }

    /// <summary>Sets a config value in the stack settings file.</summary>
    /// <param name="key">A namespaced key, e.g. <c>tenant:id</c>.</param>
    /// <param name="value">The value; for object-typed keys, JSON.</param>
    /// <param name="secret">Encrypt the value and store it as <c>secure:</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ConfigException">The key is unknown, or the value does not fit its schema or the host's rules.</exception>
    public Task SetConfigAsync(string key, string value, bool secret = false, CancellationToken cancellationToken = default) =>
        SetConfigAsync(key, value, secret, force: false, cancellationToken);

    /// <summary>Sets a config value in the stack settings file, optionally without checking the value.</summary>
    /// <param name="key">A namespaced key, e.g. <c>tenant:id</c>.</param>
    /// <param name="value">The value; for object-typed keys, JSON.</param>
    /// <param name="secret">Encrypt the value and store it as <c>secure:</c>.</param>
    /// <param name="force">Store a value that does not fit its schema or the host's rules (the key must still be declared).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ConfigException">The key is unknown, or (without <paramref name="force"/>) the value does not fit.</exception>
    public Task SetConfigAsync(string key, string value, bool secret, bool force, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return SetAllConfigAsync(new Dictionary<string, string> { [key] = value }, secret, force, cancellationToken);
    }

    /// <summary>
    /// Sets several config values in one write of the stack settings: every key and value is checked first, so either
    /// all of them are stored or, when one does not fit, none is. A host that sets a new stack's keys together (the
    /// onboarding service, a script creating many stacks) writes its settings once instead of once per key.
    /// </summary>
    /// <param name="values">Namespaced keys (e.g. <c>tenant:id</c>) and their values; for object-typed keys, JSON.</param>
    /// <param name="secret">Encrypt every value and store it as <c>secure:</c>; set plain and secret values in two calls.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ConfigException">A key is unknown, or a value does not fit its schema or the host's rules; the error names the first.</exception>
    public Task SetAllConfigAsync(IReadOnlyDictionary<string, string> values, bool secret = false, CancellationToken cancellationToken = default) =>
        SetAllConfigAsync(values, secret, force: false, cancellationToken);

    private Task SetAllConfigAsync(IReadOnlyDictionary<string, string> values, bool secret, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        var settings = Workspace.LoadSettings(Name);
        if (secret && values.Count > 0)
        {
            settings = Workspace.WithSecretsInitialized(settings);
        }

        // One cipher for the whole batch: opening it derives the stack's key, once however many secrets there are.
        var cipher = CipherFactory(settings);
        var staged = new List<KeyValuePair<string, ConfigValue>>(values.Count);
        foreach (var (key, value) in values)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(values));
            staged.Add(Stage(settings, cipher, key, value, secret, force));
        }

        var rebound = RebindOutdatedSecrets(settings);
        Workspace.SaveSettings(Name, rebound with { Config = rebound.Config.SetItems(staged) });
        return Task.CompletedTask;
    }

    /// <summary>One value under its canonical key in its stored form, checked unless <paramref name="force"/>.</summary>
    private KeyValuePair<string, ConfigValue> Stage(StackSettingsFile settings, Func<ISecretCipher?> cipher, string key, string value, bool secret, bool force)
    {
        var schema = KeySchema(settings, key);
        if (schema.Secret && !secret)
        {
            throw new MissingConfigException(settings.Path, key, "is secret, so it cannot be stored in plaintext", secret: true);
        }

        var canonicalKey = CanonicalKey(settings, key);
        if (!force)
        {
            CheckValue(settings, schema, canonicalKey, value, secret);
        }

        var stored = secret
            ? new ConfigValue(cipher()!.Encrypt(value, SecretContext.ConfigValue(Name, canonicalKey)), IsSecret: true)
            : schema.Type == ConfigValueType.Object && TryNormalizeJson(value) is { } json
                ? new ConfigValue(json, IsObject: true)
                : new ConfigValue(value);
        return KeyValuePair.Create(canonicalKey, stored);
    }

    /// <summary>Removes a config value from the stack settings file.</summary>
    /// <exception cref="ConfigException">The key is not set.</exception>
    public Task RemoveConfigAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var settings = Workspace.LoadSettings(Name);
        var existing = CanonicalKey(settings, key);
        if (!settings.Config.ContainsKey(existing))
        {
            throw new ConfigException(settings.Path, key, "is not set in this stack.");
        }

        var rebound = RebindOutdatedSecrets(settings);
        Workspace.SaveSettings(Name, rebound with { Config = rebound.Config.Remove(existing) });
        return Task.CompletedTask;
    }

    /// <summary>
    /// A key for <paramref name="purpose"/> derived from this stack's secrets provider (see
    /// <see cref="ISecretCipher.DeriveKey"/>): tools beside the engine authenticate what they write with it, with no
    /// extra config, and only someone who can open the stack's secrets can make or check it.
    /// </summary>
    /// <exception cref="InfraException">The stack has no secrets provider, its key material is missing or wrong, or the provider cannot derive keys.</exception>
    public byte[] DeriveKey(string purpose, int length = 32)
    {
        var settings = Workspace.LoadSettings(Name);
        var cipher = CipherFactory(settings)()
            ?? throw new ConfigException(settings.Path, "encryptionsalt", $"is not set, so stack {ErrorText.Quote(Name)} has no key to derive a key for {ErrorText.Quote(purpose)} from.");
        return cipher.DeriveKey(purpose, length);
    }

    /// <summary>Reads the stack outputs; secrets stay marked secret.</summary>
    public async Task<PropertyMap> GetOutputsAsync(CancellationToken cancellationToken = default)
    {
        var settings = Workspace.LoadSettings(Name);
        var store = new StackStateStore(Workspace.Backend, Name, CipherFactory(settings));
        var snapshot = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Outputs;
    }

    /// <summary>Loads the stack's state snapshot.</summary>
    public Task<StackSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var settings = Workspace.LoadSettings(Name);
        return new StackStateStore(Workspace.Backend, Name, CipherFactory(settings)).LoadAsync(cancellationToken);
    }

    /// <summary>Lists the stack's updates, newest first.</summary>
    public Task<IReadOnlyList<UpdateRecord>> GetHistoryAsync(CancellationToken cancellationToken = default) =>
        Workspace.Backend.ListUpdatesAsync(Name, cancellationToken);

    /// <summary>Returns who holds the stack's lock, if anyone.</summary>
    public Task<LockInfo?> GetLockAsync(CancellationToken cancellationToken = default) =>
        Workspace.Backend.GetLockAsync(Name, cancellationToken);

    /// <summary>
    /// Releases the stack's lock whoever holds it: for a holder on another host whose lease has not expired yet. A
    /// live holder notices at its next heartbeat and stops before writing anything more.
    /// </summary>
    /// <returns>The holder that was removed, or <see langword="null"/> when the stack was not locked.</returns>
    public Task<LockInfo?> CancelAsync(CancellationToken cancellationToken = default) =>
        Workspace.Backend.ForceReleaseLockAsync(Name, cancellationToken);

    // Secure values written before ciphertexts were bound to their stack and key are re-encrypted by the next write of
    // the file. A write that cannot open the key (a plain value set where no passphrase is given) leaves them for a
    // later write: setting a plain value never needed the passphrase, and still does not.
    private StackSettingsFile RebindOutdatedSecrets(StackSettingsFile settings)
    {
        if (settings.EncryptionSalt is null)
        {
            return settings;
        }

        var provider = Workspace.SecretsProviderFor(settings);
        if (!ConfigSecrets.HasOutdated(settings, provider.IsCurrent))
        {
            return settings;
        }

        ISecretCipher cipher;
        try
        {
            cipher = CipherFactory(settings)()!;
        }
        catch (InfraException)
        {
            return settings;
        }

        return ConfigSecrets.Rebind(settings, cipher, provider.IsCurrent, Name, Name);
    }

    internal Func<ISecretCipher?> CipherFactory(StackSettingsFile settings)
    {
        var lazy = new Lazy<ISecretCipher?>(() => settings.EncryptionSalt is null
            ? null
            : Workspace.SecretsProviderFor(settings).Open(settings.EncryptionSalt, settings.Path));
        return () => lazy.Value;
    }

    /// <summary>Checks a value against its schema and the host's rules, with the message a preview gives.</summary>
    private void CheckValue(StackSettingsFile settings, ConfigKeySchema schema, string key, string value, bool secret)
    {
        if (schema.Type == ConfigValueType.Object && TryNormalizeJson(value) is null)
        {
            throw new ConfigException(settings.Path, key, "expects a JSON object or list, e.g. '{\"primaryColor\":\"#0055ff\"}'.");
        }

        // A secret's plaintext is checked against the rules, never echoed: the schema's messages quote the value.
        if (schema.Type != ConfigValueType.Object && !secret && schema.Validate(value) is { } problem)
        {
            throw new ConfigException(settings.Path, key, problem + ".");
        }

        if (Workspace.Options.ConfigRules?.Invoke(key, value, settings, Workspace.Project.Directory) is { } ruleProblem)
        {
            throw new ConfigException(settings.Path, key, ruleProblem);
        }
    }

    private static string? TryNormalizeJson(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.GetRawText();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ConfigKeySchema KeySchema(StackSettingsFile settings, string key)
    {
        if (!key.Contains(':', StringComparison.Ordinal))
        {
            throw new ConfigException(settings.Path, key, $"config keys must be namespaced, like '{Workspace.Project.Name}:{key}'.");
        }

        return Workspace.Project.ConfigSchema.TryGetValue(key, out var schema)
            ? schema
            : throw new ConfigException(settings.Path, key, Workspace.Project.UnknownKeyMessage(key));
    }

    private string CanonicalKey(StackSettingsFile settings, string key) =>
        settings.Config.Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
        ?? (Workspace.Project.ConfigSchema.TryGetValue(key, out var schema) ? schema.Key : key);

    internal async Task<StackLock> LockAsync(string operation, CancellationToken cancellationToken) =>
        await StackLock.AcquireAsync(Workspace.Backend, Name, operation, Workspace.Options.LockLease, cancellationToken).ConfigureAwait(false);
}
