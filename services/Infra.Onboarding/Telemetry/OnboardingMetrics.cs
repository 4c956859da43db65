using System.Diagnostics.Metrics;
using Infra.Onboarding.Data;

namespace Infra.Onboarding.Telemetry;

/// <summary>
/// The service's metrics, named as docs/observability.md lists them (the SLO and KPI rules read these names): the
/// Prometheus exporter adds <c>_total</c> to counters. Tenants by plan and status and jobs by state are read from the
/// database every few seconds, so every instance reports the same totals.
/// </summary>
internal sealed class OnboardingMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _onboardings;
    private readonly Histogram<double> _timeToReady;
    private readonly Counter<long> _offboardings;
    private readonly Counter<long> _failedOperations;
    private readonly Counter<long> _jobTransitions;
    private volatile IReadOnlyList<(string Plan, string Status, long Count)> _tenants = [];
    private volatile IReadOnlyList<(string Status, long Count)> _jobs = [];

    public OnboardingMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(OnboardingTelemetry.MeterName);
        _requests = _meter.CreateCounter<long>("onboarding_http_requests", description: "API requests by route, method and status code.");
        _requestDuration = _meter.CreateHistogram<double>("onboarding_http_request_duration_seconds", "s", "API request duration by route.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _onboardings = _meter.CreateCounter<long>("onboarding_onboardings", description: "Finished onboardings by result and plan.");
        _timeToReady = _meter.CreateHistogram<double>("onboarding_time_to_ready_seconds", "s", "Time from sign-up request to ready tenant, by plan.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 30, 60, 90, 120, 300, 600] });
        _offboardings = _meter.CreateCounter<long>("onboarding_offboardings", description: "Tenants removed, by plan.");
        _failedOperations = _meter.CreateCounter<long>("onboarding_failed_operations", description: "Operation attempts that failed, by kind and reason.");
        _jobTransitions = _meter.CreateCounter<long>("onboarding_job_transitions", description: "Jobs entering a state, by kind and state.");
        _meter.CreateObservableGauge("onboarding_tenants", () => _tenants.Select(static t =>
            new Measurement<long>(t.Count, new KeyValuePair<string, object?>("plan", t.Plan), new KeyValuePair<string, object?>("status", t.Status))),
            description: "Tenants by plan and status.");
        _meter.CreateObservableGauge("onboarding_jobs", () => _jobs.Select(static j =>
            new Measurement<long>(j.Count, new KeyValuePair<string, object?>("state", j.Status))),
            description: "Operations by state.");
    }

    public void Request(string route, string method, int code, TimeSpan duration)
    {
        _requests.Add(1, new("route", route), new("method", method), new("code", code));
        _requestDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("route", route));
    }

    public void JobStarted(string kind) => _jobTransitions.Add(1, new("kind", kind), new("state", OperationStatus.Running));

    public void JobFinished(string kind, string state, string? reason, string? plan = null)
    {
        _jobTransitions.Add(1, new("kind", kind), new("state", state));
        if (reason is not null)
        {
            _failedOperations.Add(1, new("kind", kind), new("reason", reason));
        }

        if (kind == OperationKind.Create && state is OperationStatus.Succeeded or OperationStatus.Failed)
        {
            _onboardings.Add(1, new("result", state), new("plan", plan ?? "unknown"));
        }

        if (kind == OperationKind.Delete && state == OperationStatus.Succeeded)
        {
            _offboardings.Add(1, new KeyValuePair<string, object?>("plan", plan ?? "unknown"));
        }
    }

    public void OnboardingCompleted(TimeSpan requestToReady, string plan) =>
        _timeToReady.Record(requestToReady.TotalSeconds, new KeyValuePair<string, object?>("plan", plan));

    public void Update(IReadOnlyList<(string Plan, string Status, long Count)> tenants, IReadOnlyList<(string Status, long Count)> jobs)
    {
        _tenants = tenants;
        _jobs = jobs;
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>Reads the tenant and job counts for <see cref="OnboardingMetrics"/> every few seconds.</summary>
internal sealed class MetricsRefresher(TenantStore store, OnboardingMetrics metrics, ILogger<MetricsRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            try
            {
                metrics.Update(await store.CountTenantsAsync(stoppingToken).ConfigureAwait(false), await store.CountOperationsAsync(stoppingToken).ConfigureAwait(false));
            }
            catch (Npgsql.NpgsqlException ex)
            {
                logger.BackgroundTaskFailed("read tenant counts for metrics", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
