using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Compliance.Production;

/// <summary>On production stacks, Deployments and StatefulSets run at least <c>minReplicas</c> replicas (2 by default; an absent <c>spec.replicas</c> means 1).</summary>
/// <remarks>
/// Rationale: with one replica every node drain, eviction or crash is an outage. Two is the least that lets a
/// PodDisruptionBudget keep one serving while the other moves. Remediation raises <c>spec.replicas</c> to the minimum.
/// </remarks>
public sealed class ProductionReplicas : RemediatingResourcePolicy
{
    private static readonly PropertyPath s_replicas = PropertyPath.Parse("spec.replicas");

    /// <inheritdoc/>
    public override string Name => "production-replicas";

    /// <inheritdoc/>
    public override string Description => "On production stacks, Deployments and StatefulSets run at least two replicas.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .Integer("minReplicas", "The fewest replicas a production workload may run.", defaultValue: 2, minimum: 1);

    /// <inheritdoc/>
    public override ResourceSelector Selector { get; } = ResourceSelector.KubernetesKind("Deployment.apps", "StatefulSet.apps");

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (TooFew(context) is { } replicas)
        {
            context.Report($"production workloads need at least {context.Config.GetInt64("minReplicas")} replicas; spec.replicas is {replicas}.");
        }
    }

    /// <inheritdoc/>
    public override PropertyMap Remediate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TooFew(context) is null ? context.Inputs : context.Inputs.With(s_replicas, PropertyValue.Create(context.Config.GetInt64("minReplicas")));
    }

    /// <summary>The replica count when it is below the minimum; <see langword="null"/> when fine, not production, or not known yet.</summary>
    private static double? TooFew(ResourcePolicyContext context)
    {
        var value = s_replicas.Find(context.Inputs);
        if (!CompliancePack.IsProduction(context.PackConfig) || value.IsUnresolved())
        {
            return null;
        }

        var replicas = value is not null && value.TryGetNumber(out var n) ? n : 1;
        return replicas < context.Config.GetInt64("minReplicas") ? replicas : null;
    }
}
