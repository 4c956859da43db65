using System.Text.Json;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Issue 11 §4: tenant usage reads each tenant's database size and connections live from PostgreSQL, against its plan.</summary>
public sealed class TenantUsageCommandTests : IAsyncLifetime
{
    private readonly CliProject _project = new();
    private PostgresServer? _server;

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        await InProcessTenant.RunAsync(_project, "destroy", "--yes");
        _project.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Usage_json_prints_only_json_with_each_tenants_size_and_connections_against_its_plan()
    {
        var tenant = "usage-" + Guid.NewGuid().ToString("N")[..8];
        await InProcessTenant.OkAsync(_project, "stack", "init", "tenant-usage");
        await InProcessTenant.OkAsync(_project, "config", "set", "infra:kind", "tenant");
        await InProcessTenant.OkAsync(_project, "config", "set", "tenant:id", tenant);
        await InProcessTenant.OkAsync(_project, "config", "set", "tenant:plan", "free");
        await InProcessTenant.OkAsync(_project, "config", "set", "--secret", "postgres:connectionString", _server!.Url());
        await InProcessTenant.OkAsync(_project, "config", "set", "backup:location", Path.Combine(_project.Directory, "backups"));
        foreach (var (key, value) in TenantKubernetesConfig.Config)
        {
            await InProcessTenant.OkAsync(_project, "config", "set", key, value);
        }

        await InProcessTenant.OkAsync(_project, "up", "--yes");

        var json = await InProcessTenant.OkAsync(_project, "tenant", "usage", "--all", "--json");
        var table = await InProcessTenant.OkAsync(_project, "tenant", "usage");

        var row = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal(tenant, row.GetProperty("tenant").GetString());
        Assert.Equal("free", row.GetProperty("plan").GetString());
        Assert.True(row.GetProperty("sizeBytes").GetInt64() > 1_000_000, row.ToString());
        Assert.Equal(1L << 30, row.GetProperty("sizeLimitBytes").GetInt64());
        Assert.Equal(5, row.GetProperty("connectionLimit").GetInt32());
        Assert.Equal("ok", row.GetProperty("status").GetString());
        Assert.Contains(tenant, table.Stdout, StringComparison.Ordinal);
        Assert.Contains("of 1024.0 MiB", table.Stdout, StringComparison.Ordinal);
    }
}
