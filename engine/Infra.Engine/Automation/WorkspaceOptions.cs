using Infra.Configuration;
using Infra.Policy;
using Infra.Providers;
using Infra.Secrets;
using Infra.State;

namespace Infra.Automation;

/// <summary>How a <see cref="Workspace"/> finds its project, state, secrets, providers and programs.</summary>
public sealed record WorkspaceOptions
{
    /// <summary>The project folder (holding <c>Pulumi.yaml</c>).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The state backend URL; overrides <c>INFRA_BACKEND_URL</c> and <c>backend.url</c>.</summary>
    public string? BackendUrl { get; init; }

    /// <summary>
    /// The state backends the workspace may open, chosen by the scheme of the backend URL (<c>memory://</c> is always
    /// available). Hosts pass <c>Infra.Hosting.StateBackendCatalog.All</c>: SQLite (the embedded default) and PostgreSQL.
    /// </summary>
    public IReadOnlyList<IStateBackendFactory> StateBackends { get; init; } = [];

    /// <summary>The passphrase for the passphrase secrets provider; defaults to the environment.</summary>
    public string? Passphrase { get; init; }

    /// <summary>Extra secrets providers by name (the passphrase provider is always available).</summary>
    public IReadOnlyList<ISecretsProvider> SecretsProviders { get; init; } = [];

    /// <summary>The providers resource types resolve to, by package.</summary>
    public IReadOnlyList<IProviderFactory> Providers { get; init; } = [];

    /// <summary>Chooses the program for a stack when an operation passes none (the CLI chooses by <c>infra:kind</c>).</summary>
    public Func<string, StackConfig, StackProgram>? ProgramResolver { get; init; }

    /// <summary>
    /// The program version every update records, when the host knows it better than the project's work tree does: a
    /// program built from an older commit (<c>infra stack rollback --program</c>) runs beside a work tree checked out
    /// at a newer one. <see langword="null"/> records the work tree's commit (<see cref="ProgramVersions"/>).
    /// </summary>
    public string? ProgramVersion { get; init; }

    /// <summary>Builds the policy packs to enforce for a stack from its settings, if any.</summary>
    public Func<string, StackSettingsFile, IDeploymentPolicy?>? PolicyResolver { get; init; }

    /// <summary>The host's rules for config values beyond the project's schema, checked by <see cref="WorkspaceStack.SetConfigAsync(string, string, bool, bool, CancellationToken)"/>.</summary>
    public ConfigValueRule? ConfigRules { get; init; }

    /// <summary>
    /// Environment variables as config sees them (<c>INFRA_CONFIG_ns__key</c>); <see langword="null"/> reads the process
    /// environment. Services hosting many stacks pass an explicit map so stacks do not share process state.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>
    /// Creates the store for the stacks' settings, given the project; <see langword="null"/> keeps them in files beside
    /// the project (<see cref="FileStackConfigStore"/>), as the CLI does.
    /// </summary>
    public Func<ProjectFile, IStackConfigStore>? ConfigStore { get; init; }

    /// <summary>How long another host's lock may go without a heartbeat before it can be taken over.</summary>
    public TimeSpan? LockLease { get; init; }
}
