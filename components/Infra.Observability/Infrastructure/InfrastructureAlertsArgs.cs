using Infra.Observability.Rules;

namespace Infra.Observability.Infrastructure;

/// <summary>
/// Args of <see cref="Components.InfrastructureAlerts"/>: the platform's own health. Nodes (node-exporter), the tenants'
/// PostgreSQL server (postgres_exporter), certificates (cert-manager) and stacks that drifted from their code
/// (<c>infra_stack_drifted</c>, exported by the scheduled <c>infra refresh --expect-no-changes</c>).
/// </summary>
public sealed record InfrastructureAlertsArgs : IRuleSource
{
    /// <summary>The node-exporter scrape job.</summary>
    public string NodeExporterJob { get; init; } = "node-exporter";

    /// <summary>Warn this long before a certificate expires.</summary>
    public TimeSpan CertificateWarning { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Page this long before a certificate expires (cert-manager should have renewed it 30 days before).</summary>
    public TimeSpan CertificateCritical { get; init; } = TimeSpan.FromDays(3);

    /// <summary>Share of max_connections in use above which the server is too busy.</summary>
    public double PostgresConnectionsRatio { get; init; } = 0.9;

    /// <inheritdoc/>
    public string RuleSetName => "infrastructure";

    /// <inheritdoc/>
    public IReadOnlyList<RuleGroup> RuleGroups() => InfrastructureRules.For(this);
}
