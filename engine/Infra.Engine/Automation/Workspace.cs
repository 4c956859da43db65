using Infra.Configuration;
using Infra.Secrets;
using Infra.State;

namespace Infra.Automation;

/// <summary>
/// The in-process Automation API: a project, its state backend and its stacks. One workspace serves any number of
/// stacks concurrently: operations on different stacks share nothing but the backend's connection pool, and
/// operations on the same stack are serialized by the stack's lock.
/// </summary>
/// <example>
/// <code>
/// await using var workspace = await Workspace.OpenAsync(new WorkspaceOptions
/// {
///     ProjectDirectory = "/srv/platform",
///     BackendUrl = "postgres://infra:secret@db:5432/infra",
///     StateBackends = [new PostgresStateBackendFactory()],
///     Passphrase = passphrase,
///     Providers = [new RandomProviderFactory(), new PostgresProviderFactory()],
/// });
/// var stack = await workspace.CreateOrSelectStackAsync("tenant-acme");
/// await stack.SetConfigAsync("tenant:id", "acme");
/// var result = await stack.UpAsync(new UpOptions { Program = StackProgram.FromStack&lt;TenantStack&gt;() });
/// </code>
/// </example>
public sealed class Workspace : IAsyncDisposable
{
    private readonly Dictionary<string, ISecretsProvider> _secretsProviders;

    private Workspace(WorkspaceOptions options, ProjectFile project, IStateBackend backend)
    {
        Options = options;
        Project = project;
        Backend = backend;
        ConfigStore = options.ConfigStore?.Invoke(project) ?? new FileStackConfigStore(project);
        var passphrase = options.Passphrase is { } fixedPassphrase
            ? new PassphraseSecretsProvider(() => fixedPassphrase)
            : new PassphraseSecretsProvider();
        _secretsProviders = options.SecretsProviders.Prepend(passphrase).ToDictionary(static p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>The project.</summary>
    public ProjectFile Project { get; }

    /// <summary>The state backend.</summary>
    public IStateBackend Backend { get; }

    /// <summary>Where the stacks' settings are kept: files beside the project unless <see cref="WorkspaceOptions.ConfigStore"/> says otherwise.</summary>
    public IStackConfigStore ConfigStore { get; }

    /// <summary>The options the workspace was opened with.</summary>
    public WorkspaceOptions Options { get; }

    /// <summary>Opens the project in <see cref="WorkspaceOptions.ProjectDirectory"/> and its state backend.</summary>
    /// <exception cref="InfraException">The project file is missing or invalid, or the backend cannot be opened.</exception>
    public static async Task<Workspace> OpenAsync(WorkspaceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var project = ProjectFile.Load(options.ProjectDirectory);
        var url = options.BackendUrl ?? EnvironmentValue(options, StateBackends.UrlVariable) ?? project.BackendUrl;
        var backend = await StateBackends.OpenAsync(options.StateBackends, url, project.Directory, cancellationToken).ConfigureAwait(false);
        return new Workspace(options, project, backend);
    }

    /// <summary>Lists the backend's stacks.</summary>
    public Task<IReadOnlyList<StackSummary>> ListStacksAsync(CancellationToken cancellationToken = default) =>
        Backend.ListStacksAsync(cancellationToken);

    /// <summary>Creates a stack, and its settings file with a new encryption salt if it has none yet.</summary>
    /// <exception cref="InfraException">The name is invalid or the stack exists.</exception>
    public Task<WorkspaceStack> CreateStackAsync(string name, CancellationToken cancellationToken = default) =>
        CreateStackAsync(name, new StackInitOptions(), cancellationToken);

    /// <summary>
    /// Creates a stack. With <see cref="StackInitOptions.CopyConfigFrom"/>, the new stack starts with a copy of another
    /// stack's settings: its config (secure values included), policy settings and secrets-provider settings. The
    /// onboarding service creates every tenant stack from one template this way, so all share the template's key and
    /// a process derives it once rather than once per tenant.
    /// </summary>
    /// <exception cref="InfraException">The name is invalid, the stack exists, or the stack to copy from does not.</exception>
    public async Task<WorkspaceStack> CreateStackAsync(string name, StackInitOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateStackName(name);
        var settings = LoadSettings(name);
        if (options.CopyConfigFrom is { } template)
        {
            ValidateStackName(template);
            var source = LoadSettings(template);
            if (!ConfigStore.Exists(template))
            {
                throw new InfraException($"cannot copy config from stack '{template}': {source.Path} does not exist.");
            }

            settings = source with { Path = settings.Path };
            if (settings.EncryptionSalt is not null && settings.Config.Values.Any(static v => v.IsSecret))
            {
                // Secure values are bound to their stack: re-encrypt the template's for the new stack, with the same key.
                var provider = SecretsProviderFor(settings);
                settings = ConfigSecrets.Rebind(settings, provider.Open(settings.EncryptionSalt, source.Path), provider.IsCurrent, template, name);
            }
        }

        settings = WithSecretsInitialized(settings);
        await Backend.CreateStackAsync(name, cancellationToken).ConfigureAwait(false);
        ConfigStore.Save(name, settings);
        return new WorkspaceStack(this, name);
    }

    /// <summary>Selects an existing stack.</summary>
    /// <exception cref="StackNotFoundException">The stack does not exist.</exception>
    public async Task<WorkspaceStack> SelectStackAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateStackName(name);
        if (await Backend.GetStackAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new StackNotFoundException(name, Backend.DisplayUrl);
        }

        return new WorkspaceStack(this, name);
    }

    /// <summary>Selects a stack, creating it first if needed.</summary>
    public async Task<WorkspaceStack> CreateOrSelectStackAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateStackName(name);
        if (await Backend.GetStackAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new WorkspaceStack(this, name);
        }

        try
        {
            return await CreateStackAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (InfraException)
        {
            // Another caller may have created it concurrently; anything else is a real failure.
            if (await Backend.GetStackAsync(name, cancellationToken).ConfigureAwait(false) is null)
            {
                throw;
            }

            return new WorkspaceStack(this, name);
        }
    }

    /// <summary>Removes a stack and its settings file. A stack with resources needs <paramref name="force"/>.</summary>
    /// <exception cref="StackNotEmptyException">The stack still has resources and <paramref name="force"/> is false.</exception>
    /// <exception cref="InfraException">The stack is locked or does not exist.</exception>
    public async Task RemoveStackAsync(string name, bool force, CancellationToken cancellationToken = default)
    {
        ValidateStackName(name);
        var summary = await Backend.GetStackAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new StackNotFoundException(name, Backend.DisplayUrl);
        if (summary.ResourceCount > 0 && !force)
        {
            throw new StackNotEmptyException(name, summary.ResourceCount);
        }

        await Backend.RemoveStackAsync(name, cancellationToken).ConfigureAwait(false);
        ConfigStore.Delete(name);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Backend.DisposeAsync();

    /// <summary>Checks a stack name: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</summary>
    /// <exception cref="InfraException">The name is invalid.</exception>
    public static void ValidateStackName(string name)
    {
        if (!ProjectNames.IsValid(name))
        {
            throw new InfraException($"{ErrorText.Quote(name)} is not a valid stack name: use 1 to 100 letters, digits, '-', '_' or '.'.");
        }
    }

    internal StackSettingsFile LoadSettings(string stack) => ConfigStore.Load(stack);

    /// <summary>The settings with a secrets provider and its salt, initialised now when they have none yet.</summary>
    internal StackSettingsFile WithSecretsInitialized(StackSettingsFile settings)
    {
        if (settings.EncryptionSalt is not null)
        {
            return settings;
        }

        var provider = SecretsProviderFor(settings);
        return settings with { SecretsProvider = provider.Name, EncryptionSalt = provider.InitializeStack() };
    }

    internal void SaveSettings(string stack, StackSettingsFile settings) => ConfigStore.Save(stack, settings);

    internal ISecretsProvider SecretsProviderFor(StackSettingsFile settings)
    {
        var name = settings.SecretsProvider ?? "passphrase";
        return _secretsProviders.TryGetValue(name, out var provider)
            ? provider
            : throw new ConfigException(settings.Path, "secretsprovider", $"unknown secrets provider '{name}' (known: {string.Join(", ", _secretsProviders.Keys)}).");
    }

    internal string? EnvironmentValue(string name) => EnvironmentValue(Options, name);

    /// <summary>True when a passphrase is configured, so stacks can check it before running anything.</summary>
    internal bool HasPassphrase =>
        Options.Passphrase is not null ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PassphraseSecretsProvider.PassphraseVariable)) ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PassphraseSecretsProvider.PassphraseFileVariable));

    private static string? EnvironmentValue(WorkspaceOptions options, string name) =>
        options.Environment is { } environment ? environment.GetValueOrDefault(name) : Environment.GetEnvironmentVariable(name);
}
