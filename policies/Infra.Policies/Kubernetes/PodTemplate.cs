using System.Collections.Immutable;
using Infra.Values;

namespace Infra.Policies.Kubernetes;

/// <summary>
/// The pod a workload runs: where its pod spec sits in the object (<c>spec.template.spec</c> for a Deployment,
/// <c>spec.jobTemplate.spec.template.spec</c> for a CronJob, <c>spec</c> for a Pod), its labels and its containers.
/// Paths are absolute in the object, so a remediation can rewrite them.
/// </summary>
public sealed class PodTemplate
{
    private static readonly ImmutableDictionary<string, (string Spec, string Labels)> s_paths =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["Pod"] = ("spec", "metadata.labels"),
            ["ReplicationController"] = ("spec.template.spec", "spec.template.metadata.labels"),
            ["Deployment.apps"] = ("spec.template.spec", "spec.template.metadata.labels"),
            ["StatefulSet.apps"] = ("spec.template.spec", "spec.template.metadata.labels"),
            ["DaemonSet.apps"] = ("spec.template.spec", "spec.template.metadata.labels"),
            ["ReplicaSet.apps"] = ("spec.template.spec", "spec.template.metadata.labels"),
            ["Job.batch"] = ("spec.template.spec", "spec.template.metadata.labels"),
            ["CronJob.batch"] = ("spec.jobTemplate.spec.template.spec", "spec.jobTemplate.spec.template.metadata.labels"),
            // Argo Rollouts runs the same pods as a Deployment; every pod policy covers it too.
            ["Rollout.argoproj.io"] = ("spec.template.spec", "spec.template.metadata.labels"),
        }.ToImmutableDictionary(StringComparer.Ordinal);

    private PodTemplate(PropertyPath specPath, PropertyMap spec, IReadOnlyDictionary<string, string> labels)
    {
        SpecPath = specPath;
        Spec = spec;
        Labels = labels;
        Containers = [.. ContainersIn("initContainers", isInit: true), .. ContainersIn("containers", isInit: false)];
    }

    /// <summary>The kinds that run pods, qualified by group.</summary>
    public static IReadOnlyList<string> WorkloadKinds { get; } = [.. s_paths.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Where the pod spec sits in the object.</summary>
    public PropertyPath SpecPath { get; }

    /// <summary>The pod spec.</summary>
    public PropertyMap Spec { get; }

    /// <summary>The pod's labels (the template's, or the Pod's own).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Init containers, then containers; entries not known yet are left out.</summary>
    public ImmutableArray<Container> Containers { get; }

    /// <summary>The pod spec path of a workload kind (<c>Kind.group</c>), or <see langword="null"/> for other kinds.</summary>
    internal static string? PathFor(string groupKind) => s_paths.TryGetValue(groupKind, out var paths) ? paths.Spec : null;

    internal static PodTemplate? Of(KubernetesObject workload)
    {
        if (!s_paths.TryGetValue(workload.GroupKind, out var paths) || workload.Inputs.ObjectAt(paths.Spec) is not { } spec)
        {
            return null;
        }

        return new PodTemplate(PropertyPath.Parse(paths.Spec), spec, workload.Inputs.StringMapAt(paths.Labels));
    }

    private IEnumerable<Container> ContainersIn(string key, bool isInit)
    {
        var items = Spec.ArrayAt(key);
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Unwrapped is { Kind: PropertyValueKind.Object } item)
            {
                var name = item.AsObject.StringAt("name") ?? $"#{i}";
                yield return new Container(name, item.AsObject, SpecPath.Append(key).Append(i), isInit);
            }
        }
    }
}

/// <summary>One container of a pod template.</summary>
/// <param name="Name">The container's name (<c>#index</c> when it has none yet).</param>
/// <param name="Spec">The container's spec.</param>
/// <param name="Path">Where the container sits in the object, e.g. <c>spec.template.spec.containers[0]</c>.</param>
/// <param name="IsInit">True for init containers.</param>
public sealed record Container(string Name, PropertyMap Spec, PropertyPath Path, bool IsInit)
{
    /// <summary>The path of one of the container's properties, e.g. <c>Property("securityContext", "runAsNonRoot")</c>.</summary>
    public PropertyPath Property(params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Aggregate(Path, static (path, key) => path.Append(key));
    }

    /// <summary>How messages name the container: <c>container 'web'</c> or <c>init container 'migrate'</c>.</summary>
    public string Describe() => IsInit ? $"init container '{Name}'" : $"container '{Name}'";
}
