using System.Text.Json;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Policy packs through the real CLI: preview exits 3 naming the policy, and CI can test a saved plan.</summary>
[Collection(CliCollection.Name)]
public sealed class PolicyCliTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    private async Task InitTenantAsync(string minDays)
    {
        await _project.RunOkAsync("stack", "init", "tenant-acme");
        await _project.RunOkAsync("config", "set", "infra:kind", "tenant");
        await _project.RunOkAsync("config", "set", "tenant:id", "acme");
        await _project.RunOkAsync("config", "set", "tenant:plan", "standard");
        // A preview never connects: planning a new tenant needs no database server.
        await _project.RunOkAsync("config", "set", "--secret", "postgres:connectionString", "postgres://admin:pw@127.0.0.1:1/postgres");
        foreach (var (key, value) in TenantKubernetesConfig.Config)
        {
            await _project.RunOkAsync("config", "set", key, value);
        }

        await File.AppendAllTextAsync(_project.SettingsPath("tenant-acme"),
            $"policies:\n  compliance:\n    min-backup-retention: {{ level: mandatory, minDays: {minDays} }}\n");
    }

    [Fact]
    public async Task Preview_with_a_mandatory_violation_exits_3_and_names_the_policy_and_resource()
    {
        await InitTenantAsync(minDays: "30");

        var result = await _project.RunAsync("preview");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("min-backup-retention", result.Output, StringComparison.Ordinal);
        Assert.Contains("compliance@1.0.0/min-backup-retention", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("error: stack 'tenant-acme': 1 mandatory policy violation(s)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_json_lists_each_violation_with_policy_pack_version_level_urn_and_message()
    {
        await InitTenantAsync(minDays: "30");

        var result = await _project.RunAsync("preview", "--json");

        Assert.Equal(3, result.ExitCode);
        var violation = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("policyViolations")
            .EnumerateArray().Single(v => v.GetProperty("policy").GetString() == "min-backup-retention");
        Assert.Equal("compliance", violation.GetProperty("pack").GetString());
        Assert.Equal("1.0.0", violation.GetProperty("packVersion").GetString());
        Assert.Equal("mandatory", violation.GetProperty("level").GetString());
        Assert.True(violation.TryGetProperty("urn", out _));
        Assert.Contains("30", violation.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_test_checks_a_saved_plan_without_the_passphrase_or_the_stack()
    {
        await InitTenantAsync(minDays: "7");
        var plan = Path.Combine(_project.Directory, "plan.json");
        await _project.RunOkAsync("preview", "--save-plan", plan);
        await File.WriteAllTextAsync(_project.SettingsPath("tenant-acme"),
            (await File.ReadAllTextAsync(_project.SettingsPath("tenant-acme"))).Replace("minDays: 7", "minDays: 60", StringComparison.Ordinal));
        _project.Environment["INFRA_CONFIG_PASSPHRASE"] = null;

        var failing = await _project.RunAsync("policy", "test", "--plan", plan);
        var listing = await _project.RunOkAsync("policy", "ls", "-s", "tenant-acme");

        Assert.True(failing.ExitCode == 3, failing.ToString());
        Assert.Contains("min-backup-retention", failing.Stdout, StringComparison.Ordinal);
        Assert.Contains("min-backup-retention", listing.Stdout, StringComparison.Ordinal);
    }
}
