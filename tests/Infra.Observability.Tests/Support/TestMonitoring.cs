using Infra.Observability.Alerting;
using Infra.Observability.Usage;

namespace Infra.Observability.Tests.Support;

/// <summary>The platform's monitoring with test plans and tenants: the production rule sources, smaller limits.</summary>
public static class TestMonitoring
{
    /// <summary>A plan of 100 MB and 10 connections, whose percentages are easy to read.</summary>
    public static PlanLimits Plan { get; } = new("test", 100_000_000, 10);

    public static PlatformMonitoringArgs Args(IReadOnlyList<PlanLimits>? plans = null, IReadOnlyList<TenantAssignment>? tenants = null, Uri? webhook = null)
    {
        var hook = webhook ?? new Uri("http://127.0.0.1:9/");
        var assigned = tenants ?? [new TenantAssignment("acme", Plan.Plan), new TenantAssignment("calm", Plan.Plan)];
        return new PlatformMonitoringArgs
        {
            Usage = new TenantUsageAlertsArgs { Plans = plans ?? [Plan], Tenants = assigned },
            Routing = new AlertRoutingArgs
            {
                Operators = new WebhookReceiver(new Uri(hook, "operators")),
                Tenants = [.. assigned.Select(t => new TenantReceiver(t.TenantId, new WebhookReceiver(new Uri(hook, $"tenant/{t.TenantId}"))))],
                GroupWait = TimeSpan.FromSeconds(1),
                GroupInterval = TimeSpan.FromSeconds(1),
            },
        };
    }
}
