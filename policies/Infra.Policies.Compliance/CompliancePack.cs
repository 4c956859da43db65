using Infra.Policies.Compliance.Data;
using Infra.Policies.Compliance.Production;
using Infra.Policies.Compliance.TenantIsolation;
using Infra.Policies.Compliance.Workloads;
using Infra.Policies.Kubernetes;
using Infra.Tenancy;

namespace Infra.Policies.Compliance;

/// <summary>
/// The built-in <c>compliance</c> pack: what every stack of the platform must satisfy before anything changes.
/// Its rules fall in four groups, each documented with its rationale in <c>docs/policies.md</c>:
/// tenant isolation (namespaces and databases), workload hardening, data protection, and production-only rules
/// that apply when a stack's settings say <c>policies: { compliance: { production: true } }</c>.
/// </summary>
public sealed class CompliancePack : PolicyPack
{
    /// <summary>The pack's name.</summary>
    public const string PackName = "compliance";

    /// <summary>The pack setting that turns on the production rules.</summary>
    public const string ProductionKey = "production";

    /// <inheritdoc/>
    public override string Name => PackName;

    /// <inheritdoc/>
    public override string Description => "Tenant isolation, workload hardening, data protection and production rules for the platform.";

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .Boolean(ProductionKey, "The stack is a production stack (stack config infra:environment: production): turns on the production-* policies.", defaultValue: false);

    /// <inheritdoc/>
    public override IReadOnlyList<PolicyDefinition> Policies { get; } =
    [
        new TenantPodSecurity(),
        new TenantDefaultDeny(),
        new TenantQuotaAndLimits(),
        new TenantNetworkIsolation(),
        new TenantDatabaseGrants(),
        new TenantDatabaseOwner(),
        new RevokePublicConnect(),
        new ContainerResources(),
        new PinnedImageTags(),
        new AllowedRegistries(),
        new NoPrivilegedContainers(),
        new NoHostAccess(),
        new NonRootReadOnly(),
        new HealthProbes(),
        new MinBackupRetention(),
        new SecretInputs(),
        new ProductionProtectDatabases(),
        new ProductionReplicas(),
        new ProductionDisruptionBudget(),
        new ProductionReleaseAnalysis(),
    ];

    /// <summary>True when the stack's settings mark it as production.</summary>
    internal static bool IsProduction(PolicyConfig packConfig) => packConfig.GetBoolean(ProductionKey);

    /// <summary>True for a workload labelled as a production plan's release (<see cref="TenantConventions.ProductionLabelKey"/>).</summary>
    internal static bool IsProductionWorkload(KubernetesObject workload) =>
        workload.Labels.TryGetValue(TenantConventions.ProductionLabelKey, out var value) && value == "true";
}
