using Infra.Policies.Kubernetes;
using Infra.Policy;

namespace Infra.Policies.Compliance.Production;

/// <summary>
/// On production stacks, and for any workload labelled <c>infra.dev/production: "true"</c> (a production plan's
/// release), every Deployment, StatefulSet and Argo Rollouts Rollout is covered by a PodDisruptionBudget in its
/// namespace whose selector matches its pods.
/// </summary>
/// <remarks>
/// Rationale: replicas protect against crashes, a PodDisruptionBudget against the cluster itself: node upgrades and
/// drains evict pods voluntarily, and without a budget they may evict every replica at once.
/// </remarks>
public sealed class ProductionDisruptionBudget : StackPolicy
{
    private static readonly ResourceSelector s_workloads = ResourceSelector.KubernetesKind("Deployment.apps", "StatefulSet.apps", "Rollout.argoproj.io");
    private static readonly ResourceSelector s_budgets = ResourceSelector.KubernetesKind("PodDisruptionBudget.policy");

    /// <inheritdoc/>
    public override string Name => "production-disruption-budget";

    /// <inheritdoc/>
    public override string Description => "On production stacks and production plans, every Deployment, StatefulSet and Rollout has a PodDisruptionBudget.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override void Validate(StackPolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var productionStack = CompliancePack.IsProduction(context.PackConfig);
        var budgets = context.Select(s_budgets).Select(static r => KubernetesObject.From(r)!).ToList();
        foreach (var resource in context.Select(s_workloads))
        {
            var workload = KubernetesObject.From(resource)!;
            if (!productionStack && !CompliancePack.IsProductionWorkload(workload))
            {
                continue;
            }

            if (workload.PodTemplate is not { } template || workload.Inputs.IsUnresolvedAt("metadata.namespace"))
            {
                continue;
            }

            if (!budgets.Any(b => Covers(b, workload.Namespace, template.Labels)))
            {
                context.Report(resource,
                    $"{workload} has no PodDisruptionBudget: declare one in namespace '{workload.Namespace ?? "default"}' whose spec.selector matches its pod labels, " +
                    "with minAvailable or maxUnavailable set.");
            }
        }
    }

    private static bool Covers(KubernetesObject budget, string? ns, IReadOnlyDictionary<string, string> podLabels)
    {
        if (budget.Inputs.IsUnresolvedAt("metadata.namespace") || budget.Inputs.At("spec.selector") is { IsFullyKnown: false })
        {
            return true; // decided at up, once every value is known
        }

        return budget.Namespace == ns && LabelSelector.Parse(budget.Inputs.At("spec.selector")) is { } selector && selector.Matches(podLabels);
    }
}
