namespace Infra.Observability.Slo;

/// <summary>
/// The platform's SLOs. The metric names they read are listed in docs/observability.md: the tenant application's
/// OpenTelemetry HTTP server metrics (labelled <c>tenant</c> by the scrape), and the onboarding service's
/// <c>onboarding_*</c> counters.
/// </summary>
public static class PlatformSlos
{
    /// <summary>Each tenant's application answers without a server error.</summary>
    public static ServiceLevelObjectiveArgs TenantAppAvailability { get; } = new()
    {
        Name = "tenant-app-availability",
        Service = "tenant-app",
        Indicator = new("http_server_request_duration_seconds_count{http_response_status_code!~\"5..\"}", "http_server_request_duration_seconds_count"),
        Target = 0.999,
        By = [TenantLabels.Tenant],
        Description = "Requests to the tenant's application fail with server errors.",
    };

    /// <summary>Each tenant's application answers within 500 ms.</summary>
    public static ServiceLevelObjectiveArgs TenantAppLatency { get; } = new()
    {
        Name = "tenant-app-latency",
        Service = "tenant-app",
        Indicator = new("http_server_request_duration_seconds_bucket{le=\"0.5\"}", "http_server_request_duration_seconds_count"),
        Target = 0.99,
        By = [TenantLabels.Tenant],
        Description = "Requests to the tenant's application take longer than 500 ms.",
    };

    /// <summary>The onboarding service's API answers without a server error.</summary>
    public static ServiceLevelObjectiveArgs OnboardingApiAvailability { get; } = new()
    {
        Name = "onboarding-api-availability",
        Service = "onboarding",
        Indicator = new("onboarding_http_requests_total{code!~\"5..\"}", "onboarding_http_requests_total"),
        Target = 0.995,
        Description = "Calls to the onboarding API fail with server errors.",
    };

    /// <summary>Onboardings end with a ready tenant.</summary>
    public static ServiceLevelObjectiveArgs OnboardingSuccess { get; } = new()
    {
        Name = "onboarding-success",
        Service = "onboarding",
        Indicator = new("onboarding_onboardings_total{result=\"succeeded\"}", "onboarding_onboardings_total"),
        Target = 0.99,
        Description = "Onboardings fail: new tenants do not get a working stack.",
    };

    /// <summary>All of them.</summary>
    public static IReadOnlyList<ServiceLevelObjectiveArgs> All { get; } = [TenantAppAvailability, TenantAppLatency, OnboardingApiAvailability, OnboardingSuccess];
}
