using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Policy;

/// <summary>How a policy's verdict is enforced.</summary>
public enum EnforcementLevel
{
    /// <summary>A violation is a warning; the operation goes on.</summary>
    Advisory,

    /// <summary>A violation stops preview and up before any change.</summary>
    Mandatory,

    /// <summary>The policy rewrites inputs before apply; the plan shows the rewrite.</summary>
    Remediate,

    /// <summary>The policy does not run.</summary>
    Disabled,
}

/// <summary>A resource as policies see it: its checked inputs and options, before anything is applied.</summary>
public sealed record PolicyResource
{
    /// <summary>The URN.</summary>
    public required string Urn { get; init; }

    /// <summary>The type token.</summary>
    public required string Type { get; init; }

    /// <summary>The resource name.</summary>
    public string Name => Infra.Urn.NameOf(Urn);

    /// <summary>The parent's URN.</summary>
    public string? Parent { get; init; }

    /// <summary>True for provider-managed resources.</summary>
    public bool Custom { get; init; } = true;

    /// <summary>The inputs (secrets marked, unknowns possible in a preview).</summary>
    public required PropertyMap Inputs { get; init; }

    /// <summary>Whether the resource is protected.</summary>
    public bool Protect { get; init; }

    /// <summary>URNs it depends on.</summary>
    public ImmutableArray<string> Dependencies { get; init; } = [];
}

/// <summary>One policy violation.</summary>
public sealed record PolicyViolation
{
    /// <summary>The pack's name, e.g. <c>compliance</c>.</summary>
    public required string Pack { get; init; }

    /// <summary>The pack's version.</summary>
    public required string PackVersion { get; init; }

    /// <summary>The policy's name, e.g. <c>min-backup-retention</c>.</summary>
    public required string Policy { get; init; }

    /// <summary>The level it was enforced at.</summary>
    public required EnforcementLevel Level { get; init; }

    /// <summary>The resource at fault, or <see langword="null"/> for stack-level violations.</summary>
    public string? Urn { get; init; }

    /// <summary>What is wrong and how to fix it.</summary>
    public required string Message { get; init; }

    /// <summary>True when the violation came from a policy that threw instead of deciding.</summary>
    public bool IsPolicyError { get; init; }
}

/// <summary>The result of running resource policies on one resource.</summary>
/// <param name="Inputs">The inputs after remediation (the same map when nothing was rewritten).</param>
/// <param name="Violations">Violations found.</param>
/// <param name="Remediations">Names of the policies that rewrote inputs.</param>
public sealed record ResourcePolicyResult(PropertyMap Inputs, ImmutableArray<PolicyViolation> Violations, ImmutableArray<string> Remediations);

/// <summary>
/// The engine's seam for policy packs: preview and up call it for every resource (after the provider's check,
/// before diff, so remediations show in the plan) and once for the whole stack.
/// </summary>
public interface IDeploymentPolicy
{
    /// <summary>Runs resource policies; remediating policies may rewrite inputs.</summary>
    Task<ResourcePolicyResult> CheckResourceAsync(PolicyResource resource, CancellationToken cancellationToken);

    /// <summary>Runs stack policies over every resource the stack will have.</summary>
    Task<ImmutableArray<PolicyViolation>> CheckStackAsync(IReadOnlyList<PolicyResource> resources, CancellationToken cancellationToken);
}
