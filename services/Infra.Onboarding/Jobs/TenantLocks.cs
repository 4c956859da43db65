using Npgsql;
using Infra.Onboarding.Data;

namespace Infra.Onboarding.Jobs;

/// <summary>
/// One operation per tenant at a time, across every instance: a PostgreSQL session advisory lock per tenant, held on
/// its own connection for the operation's length. A worker that dies loses its connection and with it the lock.
/// </summary>
internal sealed class TenantLocks(OnboardingDatabase database)
{
    /// <summary>The tenant's lock, or <see langword="null"/> when another operation holds it.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string tenantId, CancellationToken cancellationToken)
    {
        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended('onboarding.tenant:' || $1, 0))", connection);
            command.Parameters.Add(new() { Value = tenantId });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return new Held(connection, tenantId);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private sealed class Held(NpgsqlConnection connection, string tenantId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('onboarding.tenant:' || $1, 0))", connection);
                command.Parameters.Add(new() { Value = tenantId });
                await command.ExecuteScalarAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and the lock with it.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
