using System.Collections.Immutable;
using Infra.Policy;
using Infra.Values;

namespace Infra.Policies;

/// <summary>
/// Enforces a set of packs on one stack with that stack's settings: the engine's <see cref="IDeploymentPolicy"/>.
/// Every policy runs on every resource it selects, so a preview reports all violations, not the first. A policy
/// that throws becomes a mandatory error of that policy (<see cref="PolicyViolation.IsPolicyError"/>), never a pass.
/// Create one with <see cref="PolicyPackSet.CreateEnforcer"/>; it is immutable and safe to call concurrently.
/// </summary>
public sealed class PolicyEnforcer : IDeploymentPolicy
{
    private readonly ImmutableArray<BoundPolicy> _resourcePolicies;
    private readonly ImmutableArray<BoundPolicy> _stackPolicies;

    internal PolicyEnforcer(string stack, ImmutableArray<BoundPolicy> policies)
    {
        Stack = stack;
        Policies = policies;
        _resourcePolicies = [.. policies.Where(static p => p.Level != EnforcementLevel.Disabled && p.Definition is ResourcePolicy)];
        _stackPolicies = [.. policies.Where(static p => p.Level != EnforcementLevel.Disabled && p.Definition is StackPolicy)];
    }

    /// <summary>The stack the settings belong to.</summary>
    public string Stack { get; }

    /// <summary>Every policy of every pack with the level it runs at for this stack.</summary>
    internal ImmutableArray<BoundPolicy> Policies { get; }

    /// <inheritdoc/>
    public Task<ResourcePolicyResult> CheckResourceAsync(PolicyResource resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Task.FromResult(CheckResource(resource, cancellationToken));
    }

    /// <inheritdoc/>
    public Task<ImmutableArray<PolicyViolation>> CheckStackAsync(IReadOnlyList<PolicyResource> resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return Task.FromResult(CheckStack(resources, cancellationToken));
    }

    /// <summary>
    /// Runs every policy over <paramref name="resources"/> the way the engine does in a preview (each resource, then the
    /// stack on the remediated resources), without any stack or provider: for tests and for checking saved plans.
    /// </summary>
    public Task<PolicyReport> EvaluateAsync(IEnumerable<PolicyResource> resources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var checkedResources = new List<PolicyResource>();
        var violations = ImmutableArray.CreateBuilder<PolicyViolation>();
        var remediated = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            var result = CheckResource(resource, cancellationToken);
            checkedResources.Add(resource with { Inputs = result.Inputs });
            violations.AddRange(result.Violations);
            if (!result.Remediations.IsEmpty)
            {
                remediated[resource.Urn] = result.Remediations;
            }
        }

        violations.AddRange(CheckStack(checkedResources, cancellationToken));
        return Task.FromResult(new PolicyReport(Stack, [.. checkedResources], violations.ToImmutable(), remediated.ToImmutable()));
    }

    private ResourcePolicyResult CheckResource(PolicyResource resource, CancellationToken cancellationToken)
    {
        var current = resource;
        var violations = ImmutableArray.CreateBuilder<PolicyViolation>();
        var remediations = ImmutableArray.CreateBuilder<string>();
        foreach (var policy in _resourcePolicies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var definition = (ResourcePolicy)policy.Definition;
            try
            {
                if (!definition.Selector.Matches(current))
                {
                    continue;
                }

                var level = policy.Level;
                if (level == EnforcementLevel.Remediate)
                {
                    var rewritten = ((RemediatingResourcePolicy)definition).Remediate(Context(policy, current));
                    if (!rewritten.Equals(current.Inputs))
                    {
                        violations.Add(policy.Violation(current.Urn, "rewrote " + Describe(current.Inputs, rewritten) + " to comply."));
                        remediations.Add($"{policy.Pack.Pack.Name}/{policy.Name}");
                        current = current with { Inputs = rewritten };
                    }

                    // What the rewrite could not fix still blocks.
                    level = EnforcementLevel.Mandatory;
                }

                var context = Context(policy, current);
                definition.Validate(context);
                violations.AddRange(context.Reports.Select(message => policy.Violation(current.Urn, message, level)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                violations.Add(policy.Error(current.Urn, ex));
            }
        }

        return new ResourcePolicyResult(current.Inputs, violations.ToImmutable(), remediations.ToImmutable());
    }

    private ImmutableArray<PolicyViolation> CheckStack(IReadOnlyList<PolicyResource> resources, CancellationToken cancellationToken)
    {
        var violations = ImmutableArray.CreateBuilder<PolicyViolation>();
        foreach (var policy in _stackPolicies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var context = new StackPolicyContext(Stack, resources, policy.Config, policy.PackConfig);
            try
            {
                ((StackPolicy)policy.Definition).Validate(context);
                violations.AddRange(context.Reports.Select(r => policy.Violation(r.Urn, r.Message)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                violations.Add(policy.Error(null, ex));
            }
        }

        return violations.ToImmutable();
    }

    private ResourcePolicyContext Context(BoundPolicy policy, PolicyResource resource) =>
        new(Stack, resource, policy.Config, policy.PackConfig);

    /// <summary>Names the rewritten paths; values stay out of the message, since they may be secret.</summary>
    private static string Describe(PropertyMap before, PropertyMap after)
    {
        var paths = PropertyDiff.Compare(before, after).Select(static c => c.Path.ToString()).ToList();
        return paths.Count switch
        {
            0 => "the inputs",
            1 => paths[0],
            <= 5 => string.Join(", ", paths),
            _ => $"{string.Join(", ", paths.Take(5))} and {paths.Count - 5} more",
        };
    }
}
