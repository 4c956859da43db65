using Infra.Onboarding.Tests.Support;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Onboarding.Tests;

/// <summary>
/// The job queue's locks are rows (Hangfire.PostgreSql): a holder whose connection died in a database restart cannot
/// delete its row. Such a lock must hold its job only until <c>Onboarding:Jobs:LockExpiry</c>, not the library's ten
/// minutes, in which every worker that fetched the job waited and the tenant stayed pending.
/// </summary>
public class JobQueueLockTests
{
    [Fact]
    public async Task A_queue_lock_left_by_a_dead_connection_holds_the_tenants_job_only_until_it_expires()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var setup = await OnboardingSetup.CreateAsync(server);
        await using var service = await ServiceProcess.StartAsync(setup, settings: new Dictionary<string, string?> { ["Onboarding:Jobs:LockExpiry"] = "00:00:05" });
        await using var database = new NpgsqlConnection(server.ConnectionString(setup.Database));
        await database.OpenAsync();

        // The next jobs' state locks, as their holders' connections left them when the database went away.
        var orphaned = new List<string>();
        await using (var next = new NpgsqlCommand("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM onboarding_jobs.job_id_seq", database))
        {
            var first = Convert.ToInt64(await next.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            orphaned.AddRange(Enumerable.Range(0, 5).Select(i => (first + i).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        foreach (var job in orphaned)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO onboarding_jobs.\"lock\" (resource, acquired) VALUES ($1, now())", database);
            insert.Parameters.Add(new() { Value = $"onboarding_jobs:job:{job}:state-lock" });
            await insert.ExecuteNonQueryAsync();
        }

        using var client = service.ClientFor("operator", "locks");
        var id = OnboardingSetup.NewTenantId("lk");
        await (await client.OnboardAsync(id)).OperationIdAsync();

        await client.WaitForAsync(id, "ready", TimeSpan.FromSeconds(120));
        await using var jobOf = new NpgsqlCommand("SELECT job_id FROM onboarding.operations WHERE tenant_id = $1 AND kind = 'create'", database);
        jobOf.Parameters.Add(new() { Value = id });
        Assert.Contains((string)(await jobOf.ExecuteScalarAsync())!, orphaned);
    }
}
