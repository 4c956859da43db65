using System.Text.Json;
using Infra.Onboarding.Tests.Support;
using Infra.TestSupport;

namespace Infra.Onboarding.Tests;

[Collection(OnboardingCollection.Name)]
public class DocumentationTests(ServiceFactory service)
{
    private static string CheckedIn => Path.Combine(RepositoryPaths.Root, "docs", "openapi", "v1.json");

    [Fact]
    public async Task The_served_openapi_document_equals_the_checked_in_copy()
    {
        using var client = service.CreateClient();
        var served = await client.GetStringAsync("/openapi/v1.json");
        if (Environment.GetEnvironmentVariable("INFRA_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CheckedIn)!);
            await File.WriteAllTextAsync(CheckedIn, served);
        }

        Assert.True(File.Exists(CheckedIn), $"{CheckedIn} is missing; run the tests with INFRA_UPDATE_SNAPSHOTS=1 to write it.");
        Assert.True(served == await File.ReadAllTextAsync(CheckedIn),
            "the API changed but docs/openapi/v1.json did not; run the tests with INFRA_UPDATE_SNAPSHOTS=1 and commit the file.");
    }

    [Fact]
    public async Task The_openapi_document_has_no_request_dependent_servers_and_lists_every_route()
    {
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Host = "attacker.example.com";
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        Assert.False(root.TryGetProperty("servers", out var servers) && servers.GetArrayLength() > 0, $"servers: {servers}");
        Assert.DoesNotContain("attacker.example.com", root.GetRawText(), StringComparison.Ordinal);
        var paths = root.GetProperty("paths").EnumerateObject().Select(static p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "/v1/tenants", "/v1/tenants/{id}", "/v1/tenants/{id}/backups", "/v1/tenants/{id}/restore", "/v1/tenants/{id}/operations",
            "/v1/operations/{id}", "/v1/plans", "/v1/audit",
        }, paths);
    }

    [Fact]
    public async Task Scalar_serves_the_reference_at_docs()
    {
        using var client = service.CreateClient();
        var response = await client.GetAsync("/docs");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("scalar", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_use_the_onboarding_names_the_alert_rules_read()
    {
        using var client = service.ClientFor("operator", "metrics-reader");
        var id = OnboardingSetup.NewTenantId("met");
        await (await client.OnboardAsync(id)).OperationIdAsync();
        await client.WaitForAsync(id, "ready");
        await client.GetAsync("/v1/tenants/does-not-exist");

        using var anonymous = service.CreateClient();
        string metrics = string.Empty;
        // The tenant gauges are read from the database every few seconds, and the exporter caches a scrape briefly.
        for (var i = 0; i < 40 && !metrics.Contains("onboarding_tenants{", StringComparison.Ordinal); i++)
        {
            await Task.Delay(500);
            metrics = await anonymous.GetStringAsync("/metrics");
        }

        foreach (var name in new[]
                 {
                     "onboarding_http_requests_total{", "onboarding_http_request_duration_seconds_bucket{", "onboarding_onboardings_total{",
                     "onboarding_time_to_ready_seconds_bucket{", "onboarding_tenants{", "onboarding_jobs{", "onboarding_job_transitions_total{",
                 })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }

        Assert.Contains("code=\"404\"", metrics, StringComparison.Ordinal);
        Assert.Contains("plan=\"free\"", metrics, StringComparison.Ordinal);
    }
}
