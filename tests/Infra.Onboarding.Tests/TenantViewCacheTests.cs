using System.Net;
using System.Text.Json;
using Infra.Onboarding.Data;
using Infra.Onboarding.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Infra.Onboarding.Tests;

/// <summary>
/// <c>GET /v1/tenants/{id}</c> answers from memory, and another instance's change reaches it. Hangfire keeps static state,
/// so a second instance cannot share this test process: its writes are made here, in SQL, as any instance makes them
/// (the cache hears of changes from PostgreSQL, not from the instance that made them).
/// </summary>
[Collection(OnboardingCollection.Name)]
public class TenantViewCacheTests(ServiceFactory service)
{
    private static readonly TimeSpan s_heard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_cached_tenant_view_is_served_from_memory_and_dropped_when_another_instance_changes_the_tenant_or_its_operation()
    {
        using var client = service.ClientFor("operator", "cache-operator");
        var views = await WaitListeningAsync();
        var id = OnboardingSetup.NewTenantId("vc");
        var operation = await InsertTenantAsync(id, "First");
        Assert.Equal("First", (await CachedAsync(client, views, id)).GetProperty("displayName").GetString());

        // A write that announces nothing (triggers off for this session) is not seen: the read came from memory.
        await ExecuteAsync("SET session_replication_role = replica; UPDATE onboarding.tenants SET display_name = 'Unannounced' WHERE id = $1", id);
        Assert.Equal("First", (await client.TenantAsync(id)).GetProperty("displayName").GetString());

        await ExecuteAsync("UPDATE onboarding.tenants SET display_name = 'Second' WHERE id = $1", id);
        await EventuallyAsync(client, id, static t => t.GetProperty("displayName").GetString() == "Second");

        await ExecuteAsync("UPDATE onboarding.operations SET status = 'failed', error = 'changed elsewhere' WHERE id = $1", operation);
        var failed = await EventuallyAsync(client, id, static t => t.GetProperty("lastOperation").GetProperty("status").GetString() == "failed");
        Assert.Equal("changed elsewhere", failed.GetProperty("lastOperation").GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_tenant_token_gets_404_for_another_tenant_whose_view_is_cached()
    {
        using var operatorClient = service.ClientFor("operator", "cache-operator");
        var id = OnboardingSetup.NewTenantId("vc");
        var other = OnboardingSetup.NewTenantId("vc");
        await InsertTenantAsync(id, "Mine");
        await InsertTenantAsync(other, "Theirs");
        var views = await WaitListeningAsync();
        await CachedAsync(operatorClient, views, id);
        await CachedAsync(operatorClient, views, other);

        using var tenant = service.ClientFor($"tenant:{id}", "cache-tenant");
        Assert.Equal("Mine", (await tenant.TenantAsync(id)).GetProperty("displayName").GetString());
        await (await tenant.GetAsync($"/v1/tenants/{other}")).ProblemAsync(HttpStatusCode.NotFound);
        var listed = await (await tenant.GetAsync("/v1/tenants")).JsonAsync();
        Assert.Equal([id], listed.GetProperty("items").EnumerateArray().Select(static i => i.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Losing_the_change_listener_empties_the_cache_until_it_listens_again()
    {
        using var client = service.ClientFor("operator", "cache-operator");
        var views = await WaitListeningAsync();
        var id = OnboardingSetup.NewTenantId("vc");
        await InsertTenantAsync(id, "Before");
        Assert.Equal("Before", (await CachedAsync(client, views, id)).GetProperty("displayName").GetString());

        // The listener's connection is cut, and a change is made that announces nothing: nothing in memory may hide it.
        await ExecuteAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
            TenantChangeListener.ApplicationName);
        await ExecuteAsync("SET session_replication_role = replica; UPDATE onboarding.tenants SET display_name = 'After' WHERE id = $1", id);
        await EventuallyAsync(client, id, static t => t.GetProperty("displayName").GetString() == "After");

        await WaitListeningAsync();
        Assert.True(views.IsListening);
        await ExecuteAsync("UPDATE onboarding.tenants SET display_name = 'Heard again' WHERE id = $1", id);
        await EventuallyAsync(client, id, static t => t.GetProperty("displayName").GetString() == "Heard again");
    }

    /// <summary>Waits until the service's listener hears changes (it connects in the background at start and after a loss).</summary>
    private async Task<TenantViewCache> WaitListeningAsync()
    {
        var views = service.Services.GetRequiredService<TenantViewCache>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!views.IsListening)
        {
            Assert.True(DateTime.UtcNow < deadline, "the tenant change listener did not connect in 30 s");
            await Task.Delay(100);
        }

        return views;
    }

    /// <summary>
    /// Reads the tenant until its view is in memory: a read that overlaps any change heard (another test's job) is not kept.
    /// </summary>
    private static async Task<JsonElement> CachedAsync(HttpClient client, TenantViewCache views, string id)
    {
        var deadline = DateTime.UtcNow + s_heard;
        while (true)
        {
            var tenant = await client.TenantAsync(id);
            if (views.TryGet(id, out _))
            {
                return tenant;
            }

            Assert.True(DateTime.UtcNow < deadline, $"tenant {id}'s view was never kept in {s_heard.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> EventuallyAsync(HttpClient client, string id, Func<JsonElement, bool> seen)
    {
        var deadline = DateTime.UtcNow + s_heard;
        while (true)
        {
            var tenant = await client.TenantAsync(id);
            if (seen(tenant))
            {
                return tenant;
            }

            Assert.True(DateTime.UtcNow < deadline, $"tenant {id} still reads {tenant} after {s_heard.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>A ready tenant with a succeeded create operation, written as another instance would.</summary>
    private async Task<Guid> InsertTenantAsync(string id, string displayName)
    {
        var operation = Guid.CreateVersion7();
        await ExecuteAsync(
            """
            INSERT INTO onboarding.tenants (id, plan, display_name, status, last_operation) VALUES ($1, 'free', $2, 'ready', $3);
            INSERT INTO onboarding.operations (id, tenant_id, kind, status, requested_by) VALUES ($3, $1, 'create', 'succeeded', 'another-instance');
            """, id, displayName, operation);
        return operation;
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(service.Setup.Server.ConnectionString(service.Setup.Database));
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in sql.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var command = new NpgsqlBatchCommand(statement);
            var used = Enumerable.Range(1, parameters.Length).Where(n => statement.Contains($"${n}", StringComparison.Ordinal)).ToList();
            if (used.Count > 0)
            {
                // Each statement numbers its own parameters: pass all of them up to the highest it uses.
                foreach (var value in parameters.Take(used.Max()))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                }
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }
}
