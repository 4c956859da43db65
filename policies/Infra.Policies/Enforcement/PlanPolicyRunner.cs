using System.Collections.Immutable;
using Infra.Deployment;
using Infra.Policy;

namespace Infra.Policies;

/// <summary>
/// Runs policy packs against a saved plan (<c>infra policy test --plan plan.json</c>) without touching any stack,
/// state backend or provider: for CI, where a plan made by <c>preview --save-plan</c> is checked before review.
/// The resources are the plan's steps that leave a resource in place (creates, updates, replaces, imports and
/// unchanged resources; not deletes), with the inputs the plan will apply and the dependencies the engine planned
/// with, so a policy sees the same graph as in a preview.
/// </summary>
public static class PlanPolicyRunner
{
    /// <summary>Runs <paramref name="packs"/> on <paramref name="plan"/> with the plan's stack's <paramref name="settings"/>.</summary>
    /// <exception cref="ConfigException">The settings are invalid for the packs.</exception>
    public static Task<PolicyReport> RunAsync(SavedPlan plan, PolicyPackSet packs, PolicySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(packs);
        return RunAsync(plan, packs.CreateEnforcer(plan.Stack, settings), cancellationToken);
    }

    /// <summary>Runs an enforcer on <paramref name="plan"/>.</summary>
    public static Task<PolicyReport> RunAsync(SavedPlan plan, PolicyEnforcer enforcer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(enforcer);
        return enforcer.EvaluateAsync(ResourcesOf(plan), cancellationToken);
    }

    /// <summary>The resources the stack will have once <paramref name="plan"/> is applied, as policies see them.</summary>
    public static ImmutableArray<PolicyResource> ResourcesOf(SavedPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var resources = ImmutableArray.CreateBuilder<PolicyResource>();
        foreach (var step in plan.Steps)
        {
            // Components carry no inputs and the engine never checks them; deleted resources are no longer the stack's.
            if (!step.Custom || step.NewInputs is not { } inputs || step.Op is StepOp.Delete or StepOp.Forget || !seen.Add(step.Urn))
            {
                continue;
            }

            resources.Add(new PolicyResource
            {
                Urn = step.Urn,
                Type = step.Type,
                Parent = step.Parent,
                Custom = true,
                Inputs = inputs,
                Protect = step.Protect,
                Dependencies = step.Dependencies,
            });
        }

        return resources.ToImmutable();
    }
}
