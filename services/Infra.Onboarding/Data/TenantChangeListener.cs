using Infra.Onboarding.Hosting;
using Infra.Onboarding.Telemetry;
using Npgsql;

namespace Infra.Onboarding.Data;

/// <summary>
/// Listens on <see cref="OnboardingDatabase.TenantChangedChannel"/> over a connection of its own (outside the pool, with
/// keepalives so a dead connection is noticed while idle) and drops each changed tenant's view from
/// <see cref="TenantViewCache"/>. When the connection fails (a database restart, a failover), the cache is emptied and
/// off until the listener is back, retrying every few seconds.
/// </summary>
internal sealed class TenantChangeListener(ServiceSettings settings, TenantViewCache views, ILogger<TenantChangeListener> logger) : BackgroundService
{
    /// <summary>The listener's <c>application_name</c>, so operators (and a test) can find its backend.</summary>
    public const string ApplicationName = "onboarding-tenant-changes";

    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 10,
            ApplicationName = ApplicationName,
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever broke the connection, the service keeps serving (from the database) and tries again: a
                // listener that ended the host would turn a lost notification channel into an outage.
                views.Deaf();
                logger.BackgroundTaskFailed("listen for tenant changes (tenant views are read from the database until it listens again)", ex.Message);
            }

            await Task.Delay(s_retry, stoppingToken).ConfigureAwait(false);
        }

        views.Deaf();
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, e) => views.Invalidate(e.Payload);
        await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN {OnboardingDatabase.TenantChangedChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }

        views.Listening();
        try
        {
            while (true)
            {
                await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            views.Deaf();
        }
    }
}
