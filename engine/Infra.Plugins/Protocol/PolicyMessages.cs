using System.Collections.Immutable;
using Infra.Policy;
using Infra.Values;

namespace Infra.Plugins.Protocol;

/// <summary>Result of <c>describe</c>: a policy pack as the policy SDK sees one.</summary>
/// <param name="Name">The pack's name (lower-case letters, digits and <c>-</c>).</param>
/// <param name="Version">The pack's version, reported with every violation.</param>
/// <param name="Description">One sentence on what the pack enforces.</param>
/// <param name="Policies">The pack's policies, in the order they run.</param>
/// <param name="Config">The pack's shared settings.</param>
public sealed record PolicyPackDescription(
    string Name, string Version, string Description, ImmutableArray<PolicyDescription> Policies, ImmutableArray<PolicyConfigDescription> Config);

/// <summary>The kind of a policy.</summary>
public enum PolicyKind
{
    /// <summary>Checks one resource at a time (<c>validateResource</c>, and <c>remediate</c> when it can).</summary>
    Resource,

    /// <summary>Checks every resource of the stack at once (<c>validateStack</c>).</summary>
    Stack,
}

/// <summary>One policy of a pack.</summary>
/// <param name="Name">The policy's name, unique in its pack.</param>
/// <param name="Description">What it requires and why.</param>
/// <param name="Kind">Resource or stack.</param>
/// <param name="DefaultLevel">The level it runs at unless the stack says otherwise.</param>
/// <param name="CanRemediate">True when it answers <c>remediate</c> (resource policies only).</param>
/// <param name="Selector">Which resources a resource policy looks at; none means every resource.</param>
/// <param name="Config">The settings it accepts per stack.</param>
public sealed record PolicyDescription(
    string Name,
    string Description,
    PolicyKind Kind,
    EnforcementLevel DefaultLevel,
    bool CanRemediate,
    PolicySelectorDescription? Selector,
    ImmutableArray<PolicyConfigDescription> Config);

/// <summary>Which resources a resource policy looks at: type tokens (a trailing <c>*</c> matches by prefix) or Kubernetes kinds.</summary>
/// <param name="Types">Type tokens, e.g. <c>postgres:index:Database</c> or <c>postgres:*</c>.</param>
/// <param name="KubernetesKinds">Kubernetes kinds, e.g. <c>Deployment</c> or <c>NetworkPolicy.networking.k8s.io</c>.</param>
public sealed record PolicySelectorDescription(ImmutableArray<string>? Types = null, ImmutableArray<string>? KubernetesKinds = null);

/// <summary>One setting of a policy or pack, as the policy SDK's <c>PolicyConfigProperty</c>.</summary>
/// <param name="Key">The key in the settings file.</param>
/// <param name="Type"><c>boolean</c>, <c>integer</c>, <c>number</c>, <c>string</c> or <c>stringList</c>.</param>
/// <param name="Description">What the setting means.</param>
/// <param name="Default">The value used when the stack sets none.</param>
/// <param name="Required">True when every stack must set it.</param>
/// <param name="Minimum">The smallest number allowed.</param>
/// <param name="AllowedValues">The values allowed, for strings and string lists.</param>
public sealed record PolicyConfigDescription(
    string Key,
    string Type,
    string Description,
    PropertyValue? Default = null,
    bool Required = false,
    double? Minimum = null,
    ImmutableArray<string>? AllowedValues = null);

/// <summary>Params of <c>validateResource</c> and <c>remediate</c>: one policy, one resource, the stack's settings.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Stack">The stack being checked.</param>
/// <param name="Resource">The resource, inputs as checked (secrets marked, unknowns possible in a preview).</param>
/// <param name="Config">The policy's settings for the stack, defaults filled in.</param>
/// <param name="PackConfig">The pack's settings for the stack, defaults filled in.</param>
public sealed record ResourcePolicyRequest(string Policy, string Stack, PolicyResource Resource, PropertyMap Config, PropertyMap PackConfig);

/// <summary>Result of <c>validateResource</c>.</summary>
/// <param name="Violations">One message per problem; empty when the resource complies.</param>
public sealed record ResourcePolicyResult(ImmutableArray<string> Violations);

/// <summary>Result of <c>remediate</c>.</summary>
/// <param name="Inputs">The inputs rewritten to comply, or the same inputs when they comply already.</param>
public sealed record RemediationResult(PropertyMap Inputs);

/// <summary>Params of <c>validateStack</c>: one stack policy over every resource of the stack.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Stack">The stack being checked.</param>
/// <param name="Resources">Every resource the stack will have, inputs as remediated, in declaration order.</param>
/// <param name="Config">The policy's settings for the stack.</param>
/// <param name="PackConfig">The pack's settings for the stack.</param>
public sealed record StackPolicyRequest(string Policy, string Stack, ImmutableArray<PolicyResource> Resources, PropertyMap Config, PropertyMap PackConfig);

/// <summary>Result of <c>validateStack</c>.</summary>
/// <param name="Violations">The problems found.</param>
public sealed record StackPolicyResult(ImmutableArray<StackViolation> Violations);

/// <summary>One problem a stack policy found.</summary>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Urn">The resource at fault, or none for the stack as a whole.</param>
public sealed record StackViolation(string Message, string? Urn = null);
