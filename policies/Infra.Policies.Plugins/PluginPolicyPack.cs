using System.Collections.Immutable;
using Infra.Plugins;
using Infra.Plugins.Runtime;
using Infra.Plugins.Protocol;

namespace Infra.Policies.Plugins;

/// <summary>
/// A policy pack served by a plugin process: its name, version, settings and policies come from <c>describe</c>, and
/// each policy forwards to <c>validateResource</c>, <c>remediate</c> or <c>validateStack</c>. Add it to a
/// <see cref="PolicyPackSet"/> like any pack; stack settings, levels and reports work as for a C# pack. A call that
/// fails (an error, a crash, a timeout) throws, which the enforcer reports as an error of that policy, never as a
/// pass. Dispose it when the operation ends to stop the process.
/// </summary>
/// <example>
/// <code>
/// await using var tenants = await PluginPolicyPack.StartAsync(PluginManifest.Load("plugins/tenant-allowlist").ToOptions(), ct);
/// var packs = PolicyPackSet.Of(new CompliancePack()).Add(tenants, source: "plugins/tenant-allowlist");
/// </code>
/// </example>
public sealed class PluginPolicyPack : PolicyPack, IAsyncDisposable
{
    private readonly PluginProcess _process;
    private readonly PolicyPackDescription _description;

    private PluginPolicyPack(PluginProcess process, PolicyPackDescription description)
    {
        _process = process;
        _description = description;
        Config = PolicyConfigMapping.ToSchema(description.Config);
        Policies = [.. description.Policies.Select(Proxy)];
    }

    /// <inheritdoc/>
    public override string Name => _description.Name;

    /// <inheritdoc/>
    public override string Version => _description.Version;

    /// <inheritdoc/>
    public override string Description => _description.Description;

    /// <inheritdoc/>
    public override IReadOnlyList<PolicyDefinition> Policies { get; }

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; }

    /// <summary>Starts the plugin, checks that it is a policy pack, and reads its description.</summary>
    /// <exception cref="PluginException">The plugin cannot start, is not a policy pack, or its description is malformed.</exception>
    public static async Task<PluginPolicyPack> StartAsync(PluginOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var process = await PluginProcess.StartAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!process.Info!.Has(PluginProtocol.PolicyCapability))
            {
                throw new PluginException(options.Name, $"is not a policy pack (capabilities: {string.Join(", ", process.Info.Capabilities)}).");
            }

            var description = await process.InvokeAsync<PolicyPackDescription>(PluginProtocol.Describe, null, cancellationToken).ConfigureAwait(false);
            return new PluginPolicyPack(process, description);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the plugin process.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>
    /// Calls the plugin for a policy. The policy SDK's policies are synchronous, so this blocks the calling thread
    /// until the answer comes; the answer is read on another thread, so blocking cannot deadlock.
    /// </summary>
    internal T Call<T>(string method, object request) =>
        _process.InvokeAsync<T>(method, request, CancellationToken.None).GetAwaiter().GetResult();

    private PolicyDefinition Proxy(PolicyDescription policy) => policy switch
    {
        { Kind: Infra.Plugins.Protocol.PolicyKind.Stack } => new PluginStackPolicy(this, policy),
        { CanRemediate: true } => new PluginRemediatingPolicy(this, policy),
        _ => new PluginResourcePolicy(this, policy),
    };

    internal static ResourceSelector SelectorOf(PolicySelectorDescription? selector)
    {
        var types = selector?.Types ?? [];
        var kinds = selector?.KubernetesKinds ?? [];
        return (types.IsDefaultOrEmpty, kinds.IsDefaultOrEmpty) switch
        {
            (true, true) => ResourceSelector.All,
            (false, true) => ResourceSelector.Type([.. types]),
            (true, false) => ResourceSelector.KubernetesKind([.. kinds]),
            _ => ResourceSelector.Type([.. types]).Or(ResourceSelector.KubernetesKind([.. kinds])),
        };
    }

    internal static ResourcePolicyRequest Request(PolicyDescription policy, ResourcePolicyContext context) =>
        new(policy.Name, context.Stack, context.Resource, context.Config.Values, context.PackConfig.Values);
}

/// <summary>A resource policy answered by the plugin.</summary>
internal sealed class PluginResourcePolicy(PluginPolicyPack pack, PolicyDescription policy) : ResourcePolicy
{
    public override string Name => policy.Name;

    public override string Description => policy.Description;

    public override Infra.Policy.EnforcementLevel DefaultLevel => policy.DefaultLevel;

    public override PolicyConfigSchema Config { get; } = PolicyConfigMapping.ToSchema(policy.Config);

    public override ResourceSelector Selector { get; } = PluginPolicyPack.SelectorOf(policy.Selector);

    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var message in pack.Call<ResourcePolicyResult>(PluginProtocol.ValidateResource, PluginPolicyPack.Request(policy, context)).Violations)
        {
            context.Report(message);
        }
    }
}

/// <summary>A remediating resource policy answered by the plugin.</summary>
internal sealed class PluginRemediatingPolicy(PluginPolicyPack pack, PolicyDescription policy) : RemediatingResourcePolicy
{
    private readonly PluginResourcePolicy _validator = new(pack, policy);

    public override string Name => policy.Name;

    public override string Description => policy.Description;

    public override Infra.Policy.EnforcementLevel DefaultLevel => policy.DefaultLevel;

    public override PolicyConfigSchema Config => _validator.Config;

    public override ResourceSelector Selector => _validator.Selector;

    public override void Validate(ResourcePolicyContext context) => _validator.Validate(context);

    public override Values.PropertyMap Remediate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return pack.Call<RemediationResult>(PluginProtocol.Remediate, PluginPolicyPack.Request(policy, context)).Inputs;
    }
}

/// <summary>A stack policy answered by the plugin.</summary>
internal sealed class PluginStackPolicy(PluginPolicyPack pack, PolicyDescription policy) : StackPolicy
{
    public override string Name => policy.Name;

    public override string Description => policy.Description;

    public override Infra.Policy.EnforcementLevel DefaultLevel => policy.DefaultLevel;

    public override PolicyConfigSchema Config { get; } = PolicyConfigMapping.ToSchema(policy.Config);

    public override void Validate(StackPolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = new StackPolicyRequest(policy.Name, context.Stack, [.. context.Resources], context.Config.Values, context.PackConfig.Values);
        var byUrn = context.Resources.GroupBy(static r => r.Urn, StringComparer.Ordinal).ToImmutableDictionary(static g => g.Key, static g => g.First(), StringComparer.Ordinal);
        foreach (var violation in pack.Call<StackPolicyResult>(PluginProtocol.ValidateStack, request).Violations)
        {
            if (violation.Urn is { } urn && byUrn.TryGetValue(urn, out var resource))
            {
                context.Report(resource, violation.Message);
            }
            else
            {
                context.Report(violation.Message);
            }
        }
    }
}
