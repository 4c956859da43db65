using System.Net;
using Infra.Onboarding.Tests.Support;
using Npgsql;

namespace Infra.Onboarding.Tests;

[Collection(OnboardingCollection.Name)]
public class BadRequestTests(ServiceFactory service)
{
    [Theory]
    [InlineData("""{"id":"acme-bad","plan":"free",""", "body")]
    [InlineData("""{"id":"acme-bad","plan":"free","displayName":"A","plna":"free"}""", "plna")]
    [InlineData("""{"id":"Acme_Bad","plan":"free","displayName":"A"}""", "id")]
    [InlineData("""{"plan":"free","displayName":"A"}""", "id")]
    [InlineData("""{"id":"acme-bad","plan":"platinum","displayName":"A"}""", "plan")]
    [InlineData("""{"id":"acme-bad","plan":"free"}""", "displayName")]
    [InlineData("""{"id":"acme-bad","plan":"free","displayName":"A","branding":{"primaryColor":"blue"}}""", "branding.primaryColor")]
    [InlineData("""{"id":"acme-bad","plan":"free","displayName":"A","branding":{"font":"x"}}""", "branding.font")]
    [InlineData("""["acme-bad"]""", "body")]
    public async Task A_bad_create_request_gets_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        using var client = service.ClientFor("operator", "bad-request");
        var response = await client.SendJsonAsync(HttpMethod.Post, "/v1/tenants", body);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.StartsWith(field + ":", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(service.Setup.Server.ConnectionString(service.Setup.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM onboarding.tenants WHERE id IN ('acme-bad', 'Acme_Bad')", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("/v1/tenants?limit=501", "limit")]
    [InlineData("/v1/tenants?limit=0", "limit")]
    [InlineData("/v1/tenants?status=sleeping", "status")]
    [InlineData("/v1/tenants?plan=platinum", "plan")]
    [InlineData("/v1/tenants?cursor=%%%", "cursor")]
    [InlineData("/v1/operations/not-a-guid", "id")]
    public async Task A_bad_query_gets_400_naming_the_parameter(string path, string field)
    {
        using var client = service.ClientFor("admin", "bad-query");
        var problem = await (await client.GetAsync(path)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_body_over_64_KB_gets_413()
    {
        using var client = service.ClientFor("operator", "too-large");
        var body = $$"""{"id":"big-one","plan":"free","displayName":"{{new string('x', 70 * 1024)}}"}""";
        await (await client.SendJsonAsync(HttpMethod.Post, "/v1/tenants", body)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Unknown_tenants_and_operations_get_404_and_a_patch_naming_nothing_gets_400()
    {
        using var client = service.ClientFor("operator", "unknown");
        var id = OnboardingSetup.NewTenantId("nope");
        await (await client.GetAsync($"/v1/tenants/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Patch, $"/v1/tenants/{id}", """{"plan":"free"}""")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/v1/tenants/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/v1/operations/{Guid.NewGuid()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.SendJsonAsync(HttpMethod.Post, $"/v1/tenants/{id}/restore", """{"backupId":"0190a5b0-0000-7000-8000-000000000000"}"""))
            .ProblemAsync(HttpStatusCode.NotFound);
        var empty = await (await client.SendJsonAsync(HttpMethod.Patch, $"/v1/tenants/{id}", "{}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("body", empty.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after_after_a_burst_of_at_least_20()
    {
        using var client = service.ClientFor("operator", "rate-" + Guid.NewGuid().ToString("N")[..6]);
        var responses = await Task.WhenAll(Enumerable.Range(0, 90).Select(_ => client.GetAsync("/v1/plans")));
        Assert.True(responses.Count(static r => r.StatusCode == HttpStatusCode.OK) >= 20);
        var limited = responses.Where(static r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        await limited[0].ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited[0].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        // Another client is not limited by this one.
        using var other = service.ClientFor("operator", "rate-other-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/plans")).StatusCode);
    }
}
