using System.Text.Json;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Support;

/// <summary>A CLI project folder (the real Pulumi.yaml, plans.yaml and chart) with helpers to set up tenant stacks.</summary>
public sealed class TenantProject(PostgresServer server, string? adminConnectionString = null) : IDisposable
{
    public CliProject Cli { get; } = new();

    public PostgresServer Server { get; } = server;

    public string AdminConnectionString { get; } = adminConnectionString ?? server.ConnectionString();

    public static string NewTenantId() => "t" + Guid.NewGuid().ToString("N")[..9];

    /// <summary>Creates a tenant stack <c>tenant-&lt;id&gt;</c> with its config; returns the stack name.</summary>
    public async Task<string> InitAsync(string id, string plan = "standard")
    {
        var stack = $"tenant-{id}";
        await Cli.RunOkAsync("stack", "init", stack);
        await ConfigAsync(stack, [("infra:kind", "tenant"), ("tenant:id", id), ("tenant:plan", plan), ("backup:location", "backups"), .. TenantKubernetesConfig.Config]);
        await Cli.RunOkAsync("config", "set", "--secret", "postgres:connectionString", AdminConnectionString, "-s", stack);
        return stack;
    }

    /// <summary>Creates and brings up a tenant stack for each id; returns their names in the same order.</summary>
    public async Task<string[]> UpTenantsAsync(params string[] ids)
    {
        var stacks = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            stacks[i] = await InitAsync(ids[i]);
            var up = await UpAsync(stacks[i]);
            Xunit.Assert.True(up.ExitCode == 0, up.ToString());
        }

        return stacks;
    }

    public async Task ConfigAsync(string stack, params (string Key, string Value)[] values)
    {
        foreach (var (key, value) in values)
        {
            await Cli.RunOkAsync("config", "set", key, value, "-s", stack);
        }
    }

    /// <summary>Stores values past config set's checks (<c>--force</c>), for tests of what preview and up refuse.</summary>
    public async Task ForceConfigAsync(string stack, params (string Key, string Value)[] values)
    {
        foreach (var (key, value) in values)
        {
            await Cli.RunOkAsync("config", "set", "--force", key, value, "-s", stack);
        }
    }

    public Task<CliResult> UpAsync(string stack, params string[] extra) => Cli.RunAsync(["up", "--yes", "-s", stack, .. extra]);

    /// <summary>The stack outputs with secrets revealed.</summary>
    public async Task<JsonElement> OutputsAsync(string stack)
    {
        var result = await Cli.RunOkAsync("stack", "output", "--json", "--show-secrets", "-s", stack);
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    public void Dispose() => Cli.Dispose();
}
