using Hangfire;
using Infra.Onboarding.Data;
using Infra.Onboarding.Telemetry;

namespace Infra.Onboarding.Jobs;

/// <summary>
/// Hands the job queue every operation that was recorded but never queued: an operation and its job cannot be
/// written in one transaction, so a process that stops between the two leaves the operation for this sweep.
/// </summary>
internal sealed class UnqueuedOperations(TenantStore store, IBackgroundJobClient jobs, ILogger<UnqueuedOperations> logger) : BackgroundService
{
    private static readonly TimeSpan s_age = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            try
            {
                foreach (var operation in await store.UnqueuedAsync(s_age, stoppingToken).ConfigureAwait(false))
                {
                    await TenantJobs.EnqueueAsync(jobs, store, operation, delay: null, stoppingToken).ConfigureAwait(false);
                    logger.OperationRequeued(operation);
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                logger.BackgroundTaskFailed("sweep unqueued operations", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
