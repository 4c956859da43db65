using Hangfire;
using Infra.Onboarding.Data;
using Infra.Onboarding.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infra.Onboarding.Hosting;

/// <summary>Ready once PostgreSQL answers and this instance's job server is heartbeating.</summary>
internal sealed class Readiness(OnboardingDatabase database, JobStorage storage, DatabaseStartup startup) : IHealthCheck
{
    /// <summary>This instance's job server's name prefix.</summary>
    public static string ServerName { get; } = $"onboarding:{Environment.MachineName}:{Environment.ProcessId}";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!startup.Migrated || !await database.IsReachableAsync(cancellationToken).ConfigureAwait(false))
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.");
        }

        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            return servers.Any(static s => s.Name.StartsWith(ServerName, StringComparison.Ordinal))
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The job server is not running.");
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The job storage is not reachable.");
        }
    }
}

/// <summary>Creates the service's tables before anything else starts, waiting for PostgreSQL if it is not up yet.</summary>
internal sealed class DatabaseStartup(OnboardingDatabase database, ILogger<DatabaseStartup> logger) : IHostedService
{
    public bool Migrated { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                Migrated = true;
                return;
            }
            catch (Npgsql.NpgsqlException ex) when (attempt < 60)
            {
                logger.BackgroundTaskFailed("reach the service database yet (retrying)", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
