using Infra.Policies.Kubernetes;
using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Compliance.Production;

/// <summary>
/// A production plan's release (a workload labelled <c>infra.dev/production: "true"</c>, in any stack) is released
/// with an analysis step: an Argo Rollouts Rollout whose blue-green strategy
/// has a <c>prePromotionAnalysis</c>, or whose canary strategy runs an analysis (background or as a step). A plain
/// Deployment, or a Rollout without analysis, is a violation.
/// </summary>
/// <remarks>
/// Rationale: a rolling update moves all traffic to a new version as soon as its pods pass their readiness probes,
/// which prove the process is up, not that it serves well. An analysis measures the new version's real success rate
/// and latency (from Prometheus) before it gets the traffic, and aborts the release when they are bad.
/// </remarks>
public sealed class ProductionReleaseAnalysis : ResourcePolicy
{
    /// <inheritdoc/>
    public override string Name => "production-release-analysis";

    /// <inheritdoc/>
    public override string Description => "A production plan's release is an Argo Rollouts Rollout with an analysis step.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } = ResourceSelector.KubernetesKind("Deployment.apps", "Rollout.argoproj.io");

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workload = KubernetesObject.From(context.Resource)!;
        // Only plans declare production releases: a production stack's other Deployments (monitoring, the platform's
        // own services) stay rolling, covered by production-replicas and production-disruption-budget.
        if (!CompliancePack.IsProductionWorkload(workload))
        {
            return;
        }

        if (workload.GroupKind == "Deployment.apps")
        {
            context.Report($"{workload} serves production with a plain rolling update; release it as an Argo Rollouts Rollout with an analysis step " +
                           "(tenant:releaseStrategy blueGreen, or releaseStrategy: blueGreen in the plan).");
            return;
        }

        if (context.Inputs.IsUnresolvedAt("spec.strategy"))
        {
            return; // decided at up, once every value is known
        }

        if (!HasAnalysis(context.Inputs))
        {
            context.Report($"{workload} has no analysis step: add spec.strategy.blueGreen.prePromotionAnalysis (or a canary analysis) " +
                           "that checks the new version before it gets traffic.");
        }
    }

    private static bool HasAnalysis(PropertyMap inputs)
    {
        if (inputs.ObjectAt("spec.strategy.blueGreen") is { } blueGreen)
        {
            return Templates(blueGreen.ObjectAt("prePromotionAnalysis"));
        }

        if (inputs.ObjectAt("spec.strategy.canary") is { } canary)
        {
            return Templates(canary.ObjectAt("analysis"))
                   || canary.ArrayAt("steps").Any(static step => step.Unwrapped is { Kind: PropertyValueKind.Object } s && Templates(s.AsObject.ObjectAt("analysis")));
        }

        return false;
    }

    private static bool Templates(PropertyMap? analysis) => analysis is not null && analysis.ArrayAt("templates").Length > 0;
}
