using System.Collections.Immutable;
using Infra.Plugins.Protocol;
using Infra.Plugins.Serving;
using StreamJsonRpc;

namespace Infra.Policies.Plugins;

/// <summary>
/// Serves a C# <see cref="PolicyPack"/> over the protocol, so a pack loaded by path runs out of process, in the
/// sandbox, through the C# host (<c>Infra.Plugin.Host --policy-pack PATH</c>) instead of inside the engine with its
/// rights. Selectors are code (predicates), so <c>describe</c> announces none and the host applies each policy's
/// own selector itself: a resource it does not select gets no violations.
/// </summary>
/// <param name="pack">The pack to serve.</param>
public sealed class PolicyPackPluginTarget(PolicyPack pack)
{
    private readonly ImmutableDictionary<string, PolicyDefinition> _policies =
        pack.Policies.ToImmutableDictionary(static p => p.Name, StringComparer.Ordinal);

    /// <summary><c>handshake</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Handshake)]
    public PluginInfo Handshake(HandshakeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Protocol == PluginProtocol.Version
            ? new PluginInfo(pack.Name, pack.Version, PluginProtocol.Version, [PluginProtocol.PolicyCapability])
            : throw PluginServer.Error(PluginErrorCodes.ProtocolMismatch,
                $"this plugin speaks {PluginProtocol.Version}, not {request.Protocol}", new { supported = new[] { PluginProtocol.Version } });
    }

    /// <summary><c>describe</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Describe)]
    public PolicyPackDescription Describe() => new(
        pack.Name,
        pack.Version,
        pack.Description,
        [.. pack.Policies.Select(static p => new PolicyDescription(
            p.Name,
            p.Description,
            p is StackPolicy ? Infra.Plugins.Protocol.PolicyKind.Stack : Infra.Plugins.Protocol.PolicyKind.Resource,
            p.DefaultLevel,
            p is RemediatingResourcePolicy,
            Selector: null,
            PolicyConfigMapping.FromSchema(p.Config)))],
        PolicyConfigMapping.FromSchema(pack.Config));

    /// <summary><c>validateResource</c>.</summary>
    [JsonRpcMethod(PluginProtocol.ValidateResource)]
    public ResourcePolicyResult ValidateResource(ResourcePolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = Find<ResourcePolicy>(request.Policy);
        if (!policy.Selector.Matches(request.Resource))
        {
            return new ResourcePolicyResult([]);
        }

        var context = new ResourcePolicyContext(request.Stack, request.Resource, Bind(policy.Config, request.Config), Bind(pack.Config, request.PackConfig));
        policy.Validate(context);
        return new ResourcePolicyResult([.. context.Reports]);
    }

    /// <summary><c>remediate</c>.</summary>
    [JsonRpcMethod(PluginProtocol.Remediate)]
    public RemediationResult Remediate(ResourcePolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = Find<RemediatingResourcePolicy>(request.Policy);
        if (!policy.Selector.Matches(request.Resource))
        {
            return new RemediationResult(request.Resource.Inputs);
        }

        var context = new ResourcePolicyContext(request.Stack, request.Resource, Bind(policy.Config, request.Config), Bind(pack.Config, request.PackConfig));
        return new RemediationResult(policy.Remediate(context));
    }

    /// <summary><c>validateStack</c>.</summary>
    [JsonRpcMethod(PluginProtocol.ValidateStack)]
    public StackPolicyResult ValidateStack(StackPolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = Find<StackPolicy>(request.Policy);
        var context = new StackPolicyContext(request.Stack, request.Resources, Bind(policy.Config, request.Config), Bind(pack.Config, request.PackConfig));
        policy.Validate(context);
        return new StackPolicyResult([.. context.Reports.Select(static r => new StackViolation(r.Message, r.Urn))]);
    }

    private T Find<T>(string name) where T : PolicyDefinition =>
        _policies.GetValueOrDefault(name) as T
        ?? throw PluginServer.Error(PluginErrorCodes.InvalidParams, $"pack '{pack.Name}' has no {typeof(T).Name} named '{name}'", new { property = "policy" });

    private static PolicyConfig Bind(PolicyConfigSchema schema, Values.PropertyMap values) =>
        PolicyConfig.Bind(schema, values, static (key, message) => PluginServer.Error(PluginErrorCodes.InvalidParams, message, new { property = key }));
}
