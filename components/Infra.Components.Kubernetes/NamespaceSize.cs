namespace Infra.Components.Kubernetes;

/// <summary>
/// How big a tenant's namespace is: the quota for the whole namespace, the defaults and maxima per container, and the
/// scheduling priority of the tier it belongs to. Quantities use Kubernetes notation (<c>500m</c>, <c>2Gi</c>). The
/// tenant stack builds it from the tenant's plan in <c>plans.yaml</c>.
/// </summary>
public sealed record NamespaceSize
{
    /// <summary>The tier name, e.g. <c>standard</c>; names the PriorityClass (<see cref="Infra.Tenancy.TenantConventions.PriorityClassOf"/>).</summary>
    public required string Tier { get; init; }

    /// <summary>The tier's scheduling priority (PriorityClass value); higher tiers are scheduled first.</summary>
    public required int Priority { get; init; }

    /// <summary>Total CPU requests in the namespace.</summary>
    public required string RequestsCpu { get; init; }

    /// <summary>Total memory requests in the namespace.</summary>
    public required string RequestsMemory { get; init; }

    /// <summary>Total CPU limits in the namespace.</summary>
    public required string LimitsCpu { get; init; }

    /// <summary>Total memory limits in the namespace.</summary>
    public required string LimitsMemory { get; init; }

    /// <summary>Total storage all PersistentVolumeClaims may request.</summary>
    public required string Storage { get; init; }

    /// <summary>At most this many pods.</summary>
    public required int Pods { get; init; }

    /// <summary>At most this many services.</summary>
    public required int Services { get; init; }

    /// <summary>At most this many PersistentVolumeClaims.</summary>
    public required int PersistentVolumeClaims { get; init; }

    /// <summary>A container's CPU limit when it sets none.</summary>
    public required string DefaultCpu { get; init; }

    /// <summary>A container's memory limit when it sets none.</summary>
    public required string DefaultMemory { get; init; }

    /// <summary>A container's CPU request when it sets none.</summary>
    public required string DefaultRequestCpu { get; init; }

    /// <summary>A container's memory request when it sets none.</summary>
    public required string DefaultRequestMemory { get; init; }

    /// <summary>The most CPU one container may have.</summary>
    public required string MaxCpu { get; init; }

    /// <summary>The most memory one container may have.</summary>
    public required string MaxMemory { get; init; }
}
