
namespace Infra.Policies.Compliance.Workloads;

/// <summary>Every long-running container has a readiness probe and a liveness probe. Jobs and CronJobs, which run to completion, are exempt.</summary>
/// <remarks>
/// Rationale: without a readiness probe a rolling update sends traffic to pods that are not serving yet, and a
/// PodDisruptionBudget counts broken pods as available; without a liveness probe a deadlocked process stays in
/// rotation forever. Advisory by default: a missing probe hurts availability, not isolation.
/// </remarks>
public sealed class HealthProbes : ResourcePolicy
{
    private static readonly string[] s_probes = ["readinessProbe", "livenessProbe"];

    /// <inheritdoc/>
    public override string Name => "health-probes";

    /// <inheritdoc/>
    public override string Description => "Long-running containers have readiness and liveness probes.";

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } =
        ResourceSelector.KubernetesKind("Deployment.apps", "StatefulSet.apps", "DaemonSet.apps", "ReplicaSet.apps", "ReplicationController", "Pod");

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var container in Workload.TemplateOf(context)?.Containers.Where(static c => !c.IsInit) ?? [])
        {
            var missing = s_probes.Where(p => container.Spec.At(p) is null or { IsNull: true }).ToList();
            if (missing.Count > 0)
            {
                context.Report($"{container.Describe()} has no {string.Join(" and no ", missing)} (at {container.Path}).");
            }
        }
    }
}
