using Infra.Policy;

namespace Infra.Policies.Compliance.Workloads;

/// <summary>Every container sets resource requests and limits (CPU and memory by default; config <c>requests</c>, <c>limits</c>).</summary>
/// <remarks>
/// Rationale: requests are what the scheduler reserves; without them a node is overcommitted and pods are evicted
/// first under pressure. Limits cap what one container can take from its neighbours, which on a shared cluster are
/// other tenants. Both feed the namespace quota, which rejects pods without them anyway: failing here is earlier
/// and clearer.
/// </remarks>
public sealed class ContainerResources : ResourcePolicy
{
    private static readonly string[] s_resources = ["cpu", "memory", "ephemeral-storage"];
    private static readonly string[] s_defaults = ["cpu", "memory"];

    /// <inheritdoc/>
    public override string Name => "container-resources";

    /// <inheritdoc/>
    public override string Description => "Every container sets CPU and memory requests and limits.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .StringList("requests", "The resources every container must request.", defaultValue: s_defaults, allowedValues: s_resources)
        .StringList("limits", "The resources every container must limit.", defaultValue: s_defaults, allowedValues: s_resources);

    /// <inheritdoc/>
    public override ResourceSelector Selector => ResourceSelector.KubernetesWorkloads;

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Workload.TemplateOf(context) is not { } template)
        {
            return;
        }

        foreach (var container in template.Containers)
        {
            if (container.Spec.At("resources") is { IsFullyKnown: false })
            {
                continue;
            }

            var missing = Missing(container.Spec, "requests", context.Config.GetStringList("requests"))
                .Concat(Missing(container.Spec, "limits", context.Config.GetStringList("limits")))
                .ToList();
            if (missing.Count > 0)
            {
                context.Report($"{container.Describe()} must set {string.Join(", ", missing)} (at {container.Path}.resources).");
            }
        }
    }

    private static IEnumerable<string> Missing(Values.PropertyMap container, string kind, IEnumerable<string> required) =>
        required.Where(r => container.At($"resources.{kind}[\"{r}\"]") is null or { IsNull: true }).Select(r => $"resources.{kind}.{r}");
}
