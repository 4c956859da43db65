using System.Text.Json;
using Infra.Onboarding.Tests.Support;
using Npgsql;

namespace Infra.Onboarding.Tests;

[Collection(OnboardingCollection.Name)]
public class TenantLifecycleTests(ServiceFactory service)
{
    [Fact]
    public async Task A_tenant_is_onboarded_changed_backed_up_restored_and_deleted_through_the_api()
    {
        using var client = service.ClientFor("operator", "lifecycle-operator");
        var id = OnboardingSetup.NewTenantId();

        var created = await client.SendJsonAsync(HttpMethod.Post, "/v1/tenants",
            $$$"""{"id":"{{{id}}}","plan":"free","displayName":"Acme {{{id}}}","branding":{"primaryColor":"#0055ff"}}""");
        Assert.Equal($"/v1/tenants/{id}", created.Headers.Location?.OriginalString);
        var createOperation = await created.OperationIdAsync();

        var ready = await client.WaitForAsync(id, "ready");
        Assert.Equal("free", ready.GetProperty("plan").GetString());
        Assert.Equal($"tenant_{id}", ready.GetProperty("outputs").GetProperty("databaseName").GetString());
        Assert.False(ready.GetProperty("outputs").TryGetProperty("databasePassword", out _), "secret outputs must not be served");
        Assert.False(ready.GetProperty("outputs").TryGetProperty("connectionString", out _), "secret outputs must not be served");
        Assert.True(await DatabaseExistsAsync($"tenant_{id}"));

        var operation = await (await client.GetAsync($"/v1/operations/{createOperation}")).JsonAsync();
        Assert.Equal("succeeded", operation.GetProperty("status").GetString());
        var resources = operation.GetProperty("resources").EnumerateArray().ToList();
        Assert.NotEmpty(resources);
        Assert.All(resources, static r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        Assert.Contains(resources, static r => r.GetProperty("op").GetString() == "create");

        var changed = await client.SendJsonAsync(HttpMethod.Patch, $"/v1/tenants/{id}", """{"plan":"standard","displayName":"Acme Standard"}""");
        var changeOperation = await changed.OperationIdAsync();
        var standard = await client.WaitForAsync(id, "ready", operation: changeOperation);
        Assert.Equal("standard", standard.GetProperty("plan").GetString());
        Assert.Equal("standard", standard.GetProperty("outputs").GetProperty("plan").GetString());
        Assert.Equal("Acme Standard", standard.GetProperty("displayName").GetString());

        var backup = await client.PostAsync($"/v1/tenants/{id}/backups", null);
        var backupOperation = await client.WaitForOperationAsync(await backup.OperationIdAsync());
        Assert.Equal("succeeded", backupOperation.GetProperty("status").GetString());
        var backups = await (await client.GetAsync($"/v1/tenants/{id}/backups")).JsonAsync();
        var backupId = Assert.Single(backups.EnumerateArray().ToList()).GetProperty("id").GetString();
        Assert.True(File.Exists(Path.Combine(service.Setup.BackupPath, id, backups[0].GetProperty("dumpFile").GetString()!)));

        var restore = await client.SendJsonAsync(HttpMethod.Post, $"/v1/tenants/{id}/restore", $$"""{"backupId":"{{backupId}}"}""");
        var restored = await client.WaitForOperationAsync(await restore.OperationIdAsync());
        Assert.Equal("succeeded", restored.GetProperty("status").GetString());

        var deleted = await client.DeleteAsync($"/v1/tenants/{id}");
        await deleted.OperationIdAsync();
        await client.WaitForAsync(id, "deleted");
        Assert.False(await DatabaseExistsAsync($"tenant_{id}"));
        Assert.False(Directory.Exists(Path.Combine(service.Setup.GitOpsPath, $"tenant-{id}")) &&
                     Directory.EnumerateFiles(Path.Combine(service.Setup.GitOpsPath, $"tenant-{id}"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Tenants_are_listed_in_pages_filtered_by_plan_and_status()
    {
        using var client = service.ClientFor("operator", "list-operator");
        var ids = Enumerable.Range(0, 3).Select(_ => OnboardingSetup.NewTenantId("ls")).Order(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            await (await client.OnboardAsync(id, "free")).OperationIdAsync();
        }

        foreach (var id in ids)
        {
            await client.WaitForAsync(id, "ready");
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/v1/tenants?plan=free&status=ready&limit=1{(cursor is null ? string.Empty : $"&cursor={cursor}")}")).JsonAsync();
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.True(items.Count <= 1);
            foreach (var item in items)
            {
                Assert.Equal("free", item.GetProperty("plan").GetString());
                Assert.Equal("ready", item.GetProperty("status").GetString());
                Assert.False(string.IsNullOrEmpty(item.GetProperty("displayName").GetString()));
                seen.Add(item.GetProperty("id").GetString()!);
            }

            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.All(ids, id => Assert.Contains(id, seen));
        var enterprise = await (await client.GetAsync("/v1/tenants?plan=enterprise")).JsonAsync();
        Assert.DoesNotContain(enterprise.GetProperty("items").EnumerateArray(), item => ids.Contains(item.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Plans_are_listed_from_the_projects_plans_file()
    {
        using var client = service.ClientFor("tenant:someone", "plans-reader");
        var plans = await (await client.GetAsync("/v1/plans")).JsonAsync();
        Assert.Equal(["enterprise", "free", "standard"], plans.EnumerateArray().Select(static p => p.GetProperty("name").GetString()!).ToArray());
        Assert.True(plans[0].GetProperty("protect").GetBoolean());
    }

    private async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(service.Setup.Server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection);
        command.Parameters.Add(new() { Value = name });
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
