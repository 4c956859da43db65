using System.Net;
using Infra.Onboarding.Tests.Support;
using Npgsql;

namespace Infra.Onboarding.Tests;

[Collection(OnboardingCollection.Name)]
public class IdempotencyTests(ServiceFactory service)
{
    [Fact]
    public async Task The_same_key_and_body_give_the_same_answer_and_another_body_gives_409()
    {
        using var client = service.ClientFor("operator", "idem-operator");
        var id = OnboardingSetup.NewTenantId("idem");
        var key = Guid.NewGuid().ToString();

        var first = await client.OnboardAsync(id, idempotencyKey: key);
        var second = await client.OnboardAsync(id, idempotencyKey: key);
        Assert.Equal(await first.OperationIdAsync(), await second.OperationIdAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);

        var other = await client.OnboardAsync(id, plan: "standard", idempotencyKey: key);
        var problem = await other.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var withoutKey = await client.OnboardAsync(id);
        Assert.Contains("exists", (await withoutKey.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await client.WaitForAsync(id, "ready");
        Assert.Equal(1, await CreateOperationsAsync(id));
    }

    [Fact]
    public async Task Concurrent_duplicate_posts_with_one_key_queue_one_operation_and_all_get_its_answer()
    {
        using var client = service.ClientFor("operator", "idem-concurrent");
        var id = OnboardingSetup.NewTenantId("idem");
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.OnboardAsync(id, idempotencyKey: key)));
        var operations = await Task.WhenAll(responses.Select(static r => r.OperationIdAsync()));
        Assert.Single(operations.Distinct());
        Assert.Equal(1, await CreateOperationsAsync(id));
    }

    [Fact]
    public async Task Concurrent_duplicate_posts_without_a_key_create_the_tenant_once_and_the_rest_get_409()
    {
        using var client = service.ClientFor("operator", "dup-concurrent");
        var id = OnboardingSetup.NewTenantId("dup");

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.OnboardAsync(id)));
        Assert.Equal(1, responses.Count(static r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(11, responses.Count(static r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await CreateOperationsAsync(id));
    }

    private async Task<long> CreateOperationsAsync(string id)
    {
        await using var connection = new NpgsqlConnection(service.Setup.Server.ConnectionString(service.Setup.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM onboarding.operations WHERE tenant_id = $1 AND kind = 'create'", connection);
        command.Parameters.Add(new() { Value = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
