using System.Net;
using System.Net.Http.Headers;
using Infra.Onboarding.Tests.Support;

namespace Infra.Onboarding.Tests;

[Collection(OnboardingCollection.Name)]
public class AuthTests(ServiceFactory service)
{
    [Theory]
    [InlineData("GET", "/v1/tenants")]
    [InlineData("GET", "/v1/tenants/acme")]
    [InlineData("POST", "/v1/tenants")]
    [InlineData("GET", "/v1/plans")]
    [InlineData("GET", "/v1/audit")]
    [InlineData("GET", "/v1/operations/0190a5b0-0000-7000-8000-000000000000")]
    public async Task Every_v1_route_answers_401_problem_details_without_a_token(string method, string path)
    {
        using var client = service.CreateClient();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_or_one_signed_with_another_key_gets_401()
    {
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OnboardingSetup.Token("admin", "expired", TimeSpan.FromMinutes(-5)));
        await (await client.GetAsync("/v1/plans")).ProblemAsync(HttpStatusCode.Unauthorized);

        var forged = Infra.Onboarding.Auth.Tokens.Mint(Infra.Onboarding.Auth.Tokens.DevelopmentKey, OnboardingSetup.Issuer, OnboardingSetup.Audience, "forger", "admin",
            TimeSpan.FromHours(1));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        await (await client.GetAsync("/v1/plans")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task No_token_is_needed_for_health_openapi_docs_and_metrics()
    {
        using var client = service.CreateClient();
        foreach (var path in new[] { "/healthz/live", "/healthz/ready", "/openapi/v1.json", "/docs", "/metrics" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_tenant_token_reads_its_own_tenant_and_gets_404_for_another_that_exists()
    {
        using var operatorClient = service.ClientFor("operator", "scope-operator");
        var own = OnboardingSetup.NewTenantId("own");
        var other = OnboardingSetup.NewTenantId("other");
        var ownOperation = await (await operatorClient.OnboardAsync(own)).OperationIdAsync();
        var otherOperation = await (await operatorClient.OnboardAsync(other)).OperationIdAsync();
        await operatorClient.WaitForAsync(own, "ready");
        await operatorClient.WaitForAsync(other, "ready");

        using var tenant = service.ClientFor($"tenant:{own}", "scope-tenant");
        Assert.Equal(own, (await tenant.TenantAsync(own)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync($"/v1/operations/{ownOperation}")).StatusCode);
        var listed = await (await tenant.GetAsync("/v1/tenants")).JsonAsync();
        Assert.Equal([own], listed.GetProperty("items").EnumerateArray().Select(static i => i.GetProperty("id").GetString()!).ToArray());

        var notFound = await (await tenant.GetAsync($"/v1/tenants/{other}")).ProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await tenant.GetAsync($"/v1/tenants/{OnboardingSetup.NewTenantId("none")}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(missing.GetProperty("title").GetString(), notFound.GetProperty("title").GetString());
        await (await tenant.GetAsync($"/v1/operations/{otherOperation}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.GetAsync($"/v1/tenants/{other}/backups")).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.PostAsync($"/v1/tenants/{other}/backups", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.DeleteAsync($"/v1/tenants/{other}")).ProblemAsync(HttpStatusCode.NotFound);

        // Its own backups it may request; changing or deleting itself it may not.
        var backup = await tenant.PostAsync($"/v1/tenants/{own}/backups", null);
        Assert.Equal("succeeded", (await tenant.WaitForOperationAsync(await backup.OperationIdAsync())).GetProperty("status").GetString());
        await (await tenant.SendJsonAsync(HttpMethod.Patch, $"/v1/tenants/{own}", """{"plan":"standard"}""")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await tenant.DeleteAsync($"/v1/tenants/{own}")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await tenant.OnboardAsync(OnboardingSetup.NewTenantId())).ProblemAsync(HttpStatusCode.Forbidden);
        await (await tenant.GetAsync("/v1/audit")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_enterprise_tenant_is_deleted_only_with_force_and_the_admin_scope()
    {
        using var operatorClient = service.ClientFor("operator", "enterprise-operator");
        var id = OnboardingSetup.NewTenantId("ent");
        await (await operatorClient.OnboardAsync(id, "enterprise")).OperationIdAsync();
        await operatorClient.WaitForAsync(id, "ready");

        var unforced = await (await operatorClient.DeleteAsync($"/v1/tenants/{id}")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("force=true", unforced.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await operatorClient.DeleteAsync($"/v1/tenants/{id}?force=true")).ProblemAsync(HttpStatusCode.Forbidden);

        using var admin = service.ClientFor("admin", "enterprise-admin");
        await (await admin.DeleteAsync($"/v1/tenants/{id}?force=true")).OperationIdAsync();
        await admin.WaitForAsync(id, "deleted");

        var audit = await (await admin.GetAsync($"/v1/audit?tenant={id}")).JsonAsync();
        var records = audit.GetProperty("items").EnumerateArray().Select(static r =>
            $"{r.GetProperty("actor").GetString()} {r.GetProperty("action").GetString()} {r.GetProperty("outcome").GetString()}").ToList();
        Assert.Contains("enterprise-operator tenant.create accepted", records);
        Assert.Contains("enterprise-operator tenant.delete rejected", records);
        Assert.Contains("enterprise-admin tenant.delete accepted", records);
        Assert.Contains("system tenant.delete succeeded", records);
    }
}
