using Infra.Automation;
using Infra.Configuration;
using Infra.Hosting;
using Infra.Onboarding.Data;
using Infra.Onboarding.Telemetry;
using Infra.State.Postgres;
using Infra.Tenancy;
using Microsoft.Extensions.Options;

namespace Infra.Onboarding.Hosting;

/// <summary>
/// The one workspace the service drives tenant stacks through: state in the PostgreSQL backend, stack config in the
/// PostgreSQL config store (so every instance sees the same config), and the shared settings (admin connection,
/// backup location, GitOps tree, sealing certificate, helm) given to every tenant stack as config from the service's
/// own configuration, never stored per tenant. Every tenant stack is created from one template stack, so all share its
/// key and the process derives the key once.
/// </summary>
internal sealed class TenantStacks(IOptions<OnboardingOptions> options, ServiceSettings settings, ILogger<TenantStacks> logger) : IAsyncDisposable
{
    /// <summary>The stack every tenant stack copies its settings (and secrets key) from.</summary>
    public const string TemplateStack = "onboarding-template";

    private readonly SemaphoreSlim _opening = new(1, 1);
    private Workspace? _workspace;
    private PostgresStackConfigStore? _store;

    /// <summary>The tenant's stack name, <c>tenant-&lt;id&gt;</c>.</summary>
    public static string StackName(string tenantId) => TenantConventions.NamespaceOf(tenantId);

    /// <summary>The workspace, opened on first use (the database may come up after the service).</summary>
    public async Task<Workspace> WorkspaceAsync(CancellationToken cancellationToken)
    {
        if (_workspace is { } open)
        {
            return open;
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_workspace is not null)
            {
                return _workspace;
            }

            var project = ProjectFile.Load(settings.ProjectDirectory);
            _store ??= await PostgresStackConfigStore.OpenAsync(settings.StateUrl, project, cancellationToken).ConfigureAwait(false);
            var store = _store;
            var workspace = await Workspace.OpenAsync(HostWorkspaces.Options(settings.ProjectDirectory) with
            {
                BackendUrl = settings.StateUrl,
                ConfigStore = _ => store,
                Passphrase = settings.Passphrase,
                Environment = SharedConfig(options.Value, settings),
            }, cancellationToken).ConfigureAwait(false);
            if (!store.Exists(TemplateStack))
            {
                try
                {
                    await workspace.CreateStackAsync(TemplateStack, cancellationToken).ConfigureAwait(false);
                }
                catch (InfraException) when (store.Exists(TemplateStack))
                {
                    // Another instance created it first.
                }
            }

            logger.WorkspaceOpened(workspace.Backend.DisplayUrl, store.DisplayName, settings.ProjectDirectory);
            return _workspace = workspace;
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>
    /// The tenant's stack with its config as the tenant row says, created from the template when missing. A stack
    /// left without settings by a crash between its creation and its first config write has no resources yet, so it
    /// is created again.
    /// </summary>
    public async Task<WorkspaceStack> PrepareAsync(TenantRow tenant, CancellationToken cancellationToken)
    {
        var workspace = await WorkspaceAsync(cancellationToken).ConfigureAwait(false);
        var name = StackName(tenant.Id);
        var summary = await workspace.Backend.GetStackAsync(name, cancellationToken).ConfigureAwait(false);
        if (summary is not null && !workspace.ConfigStore.Exists(name) && summary.ResourceCount == 0)
        {
            await workspace.RemoveStackAsync(name, force: false, cancellationToken).ConfigureAwait(false);
            summary = null;
        }

        var stack = summary is null
            ? await workspace.CreateStackAsync(name, new StackInitOptions { CopyConfigFrom = TemplateStack }, cancellationToken).ConfigureAwait(false)
            : await workspace.SelectStackAsync(name, cancellationToken).ConfigureAwait(false);
        var config = stack.GetConfig();
        // The changed keys in one write of the stack's settings: one round trip to the config store, not one per key.
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in new[] { ("tenant:id", tenant.Id), ("tenant:plan", tenant.Plan), ("tenant:displayName", tenant.DisplayName) })
        {
            if (config.Get(key) != value)
            {
                changed[key] = value;
            }
        }

        var branding = config.Settings.Config.GetValueOrDefault("tenant:branding")?.Value;
        if (tenant.BrandingJson is { } wanted && !JsonTextEquals(branding, wanted))
        {
            changed["tenant:branding"] = wanted;
        }

        if (changed.Count > 0)
        {
            await stack.SetAllConfigAsync(changed, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (tenant.BrandingJson is null && branding is not null)
        {
            await stack.RemoveConfigAsync("tenant:branding", cancellationToken).ConfigureAwait(false);
        }

        return stack;
    }

    /// <summary>The tenant's stack if it exists.</summary>
    public async Task<WorkspaceStack?> FindAsync(string tenantId, CancellationToken cancellationToken)
    {
        var workspace = await WorkspaceAsync(cancellationToken).ConfigureAwait(false);
        var name = StackName(tenantId);
        return await workspace.Backend.GetStackAsync(name, cancellationToken).ConfigureAwait(false) is null
            ? null
            : await workspace.SelectStackAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync().ConfigureAwait(false);
        }

        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }

        _opening.Dispose();
    }

    private static bool JsonTextEquals(string? a, string b)
    {
        if (a is null)
        {
            return false;
        }

        using var left = System.Text.Json.JsonDocument.Parse(a);
        using var right = System.Text.Json.JsonDocument.Parse(b);
        return System.Text.Json.JsonElement.DeepEquals(left.RootElement, right.RootElement);
    }

    /// <summary>The shared settings as config every stack of this workspace sees (<c>INFRA_CONFIG_ns__key</c>).</summary>
    private static Dictionary<string, string?> SharedConfig(OnboardingOptions options, ServiceSettings settings)
    {
        static string Key(string key) => StackConfig.EnvironmentPrefix + key.Replace(":", "__", StringComparison.Ordinal);
        var shared = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [Key("infra:kind")] = "tenant",
            [Key("postgres:connectionString")] = settings.AdminConnection,
            [Key("backup:location")] = settings.BackupLocation,
            [Key("kubernetes:mode")] = "gitops",
            [Key("kubernetes:gitopsPath")] = options.GitOps.Path,
        };
        if (options.GitOps.Remote is { Length: > 0 } remote)
        {
            shared[Key("kubernetes:gitopsRemote")] = remote;
        }

        if (options.GitOps.Branch is { Length: > 0 } branch)
        {
            shared[Key("kubernetes:gitopsBranch")] = branch;
        }

        if (settings.SealingCertificate is { } certificate)
        {
            shared[Key("kubernetes:sealedSecretsCert")] = certificate;
        }

        if (options.GitOps.Helm is { } helm)
        {
            shared[Key("helm:binary")] = helm;
        }

        return shared;
    }
}
