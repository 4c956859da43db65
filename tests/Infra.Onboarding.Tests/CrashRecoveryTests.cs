using System.Net;
using System.Text.Json;
using Infra.Onboarding.Tests.Support;
using Infra.TestSupport;
using Npgsql;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Infra.Onboarding.Tests;

/// <summary>
/// The service killed or its database restarted in the middle of a burst of onboardings: every tenant still ends
/// ready exactly once. The suite runs 30 tenants; bench/Infra.Bench.Onboarding is where a full-size burst belongs.
/// </summary>
public class CrashRecoveryTests
{
    private const int Tenants = 30;

    [Fact]
    public async Task A_service_killed_mid_burst_and_restarted_leaves_every_tenant_ready_exactly_once()
    {
        await using var server = await PostgresServer.StartAsync();
        await using var setup = await OnboardingSetup.CreateAsync(server);
        var prefix = "k" + Guid.NewGuid().ToString("N")[..6];
        var ids = Enumerable.Range(0, Tenants).Select(i => $"{prefix}-{i:00}").ToList();

        var first = await ServiceProcess.StartAsync(setup);
        Dictionary<string, string> operations;
        using (var client = first.ClientFor("operator", "burst"))
        {
            var accepted = await Task.WhenAll(ids.Select(async id => (id, operation: await (await client.OnboardAsync(id, idempotencyKey: id)).OperationIdAsync())));
            operations = accepted.ToDictionary(static a => a.id, static a => a.operation);
            // Kill once some tenants are ready and others are being provisioned.
            await WaitUntilAsync(client, prefix, static counts => counts.GetValueOrDefault("ready") >= 3 && counts.GetValueOrDefault("provisioning") >= 1,
                TimeSpan.FromSeconds(120));
        }

        await first.KillAsync();
        await first.DisposeAsync();

        await using var second = await ServiceProcess.StartAsync(setup);
        using (var client = second.ClientFor("operator", "burst"))
        {
            // The client retries its whole burst with the same keys: each gets the answer it had before.
            foreach (var id in ids)
            {
                Assert.Equal(operations[id], await (await client.OnboardAsync(id, idempotencyKey: id)).OperationIdAsync());
            }

            await WaitUntilAsync(client, prefix, static counts => counts.GetValueOrDefault("ready") == Tenants, TimeSpan.FromMinutes(5));
        }

        await AssertEachTenantOnceAsync(setup, prefix, ids);
    }

    [Fact]
    public async Task A_database_restart_mid_burst_leaves_every_tenant_ready_exactly_once()
    {
        await using var server = await PostgresServer.StartOwnAsync();
        await using var setup = await OnboardingSetup.CreateAsync(server);
        var prefix = "r" + Guid.NewGuid().ToString("N")[..6];
        var ids = Enumerable.Range(0, 10).Select(i => $"{prefix}-{i:00}").ToList();

        await using var service = await ServiceProcess.StartAsync(setup);
        using var client = service.ClientFor("operator", "restart");
        foreach (var id in ids)
        {
            await (await client.OnboardAsync(id, idempotencyKey: id)).OperationIdAsync();
        }

        await WaitUntilAsync(client, prefix, static counts => counts.GetValueOrDefault("ready") >= 1 && counts.GetValueOrDefault("ready") < 10, TimeSpan.FromSeconds(120));
        await server.RestartAsync();
        try
        {
            await WaitUntilAsync(client, prefix, counts => counts.GetValueOrDefault("ready") == ids.Count, TimeSpan.FromMinutes(4));
        }
        catch (Xunit.Sdk.XunitException failure)
        {
            // What the service said about the tenants still in flight is what explains a wait that ran out.
            var said = service.Output.Where(line => line.Contains("\"log.level\":\"warn", StringComparison.OrdinalIgnoreCase)
                || line.Contains("\"log.level\":\"error", StringComparison.OrdinalIgnoreCase)).TakeLast(40);
            throw new Xunit.Sdk.XunitException(failure.Message + "\nthe service's last warnings and errors:\n" + string.Join('\n', said));
        }

        Assert.False(service.HasExited);
        await AssertEachTenantOnceAsync(setup, prefix, ids);
    }

    /// <summary>Polls the tenants of this run, tolerating the answers of a service whose database is restarting.</summary>
    private static async Task WaitUntilAsync(HttpClient client, string prefix, Func<Dictionary<string, int>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var counts = new Dictionary<string, int>();
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await client.GetAsync("/v1/tenants?limit=500");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var page = await response.JsonAsync();
                    counts = page.GetProperty("items").EnumerateArray()
                        .Where(t => t.GetProperty("id").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
                        .GroupBy(static t => t.GetProperty("status").GetString()!)
                        .ToDictionary(static g => g.Key, static g => g.Count());
                    Assert.False(counts.ContainsKey("failed"), $"a tenant failed: {page}");
                    if (done(counts))
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(500);
        }

        Assert.Fail($"not done in {timeout}: {JsonSerializer.Serialize(counts)}");
    }

    private static async Task AssertEachTenantOnceAsync(OnboardingSetup setup, string prefix, IReadOnlyList<string> ids)
    {
        await using var connection = new NpgsqlConnection(setup.Server.ConnectionString());
        await connection.OpenAsync();
        var databases = await ListAsync(connection, "SELECT datname FROM pg_database WHERE datname LIKE $1", $"tenant_{prefix}-%");
        var roles = await ListAsync(connection, "SELECT rolname FROM pg_roles WHERE rolname LIKE $1", $"tenant_{prefix}-%");
        Assert.Equal(ids.Select(static id => $"tenant_{id}").Order(StringComparer.Ordinal), databases.Order(StringComparer.Ordinal));
        Assert.Equal(ids.SelectMany(static id => new[] { $"tenant_{id}", $"tenant_{id}_owner" }).Order(StringComparer.Ordinal), roles.Order(StringComparer.Ordinal));

        var folders = Directory.EnumerateDirectories(setup.GitOpsPath).Select(Path.GetFileName).Where(f => f!.StartsWith($"tenant-{prefix}", StringComparison.Ordinal));
        Assert.Equal(ids.Select(static id => $"tenant-{id}").Order(StringComparer.Ordinal), folders.Order(StringComparer.Ordinal));

        await using var service = new NpgsqlConnection(setup.Server.ConnectionString(setup.Database));
        await service.OpenAsync();
        var creates = await ListAsync(service, "SELECT tenant_id || ' ' || status FROM onboarding.operations WHERE kind = 'create' AND tenant_id LIKE $1", $"{prefix}-%");
        Assert.Equal(ids.Select(static id => $"{id} succeeded").Order(StringComparer.Ordinal), creates.Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql, string pattern)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new() { Value = pattern });
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
