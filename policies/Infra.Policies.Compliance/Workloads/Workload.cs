using Infra.Policies.Kubernetes;

namespace Infra.Policies.Compliance.Workloads;

/// <summary>
/// What the workload rules share. Workloads are the Kubernetes objects that run pods (Deployment, StatefulSet,
/// DaemonSet, ReplicaSet, Job, CronJob, Pod); a Flux HelmRelease is not one: the chart's objects it renders are
/// checked when they are declared as resources themselves.
/// </summary>
internal static class Workload
{
    /// <summary>The pod template of the resource, or <see langword="null"/> when it is not a workload or its pod spec is not known yet.</summary>
    public static PodTemplate? TemplateOf(ResourcePolicyContext context) => KubernetesObject.From(context.Resource)?.PodTemplate;

    /// <summary>The known image of a container, or <see langword="null"/> when absent or not known until apply.</summary>
    public static string? ImageOf(Container container) => container.Spec.StringAt("image") is { Length: > 0 } image ? image : null;
}
