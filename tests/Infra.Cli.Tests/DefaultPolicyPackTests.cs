using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Issue 14 §2: the project file's default policy packs run on every stack of their kind, and say so.</summary>
public sealed class DefaultPolicyPackTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Preview_of_a_tenant_stack_runs_the_compliance_pack_without_asking_and_names_it()
    {
        await InProcessTenant.InitAsync(_project);

        var preview = await InProcessTenant.OkAsync(_project, "preview");

        Assert.Contains("Policy packs: compliance 1.0.0", preview.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("health-probes: advisory")]
    [InlineData("min-backup-retention: disabled")]
    public async Task Changing_a_level_or_disabling_one_policy_keeps_the_default_pack_running(string policySetting)
    {
        await InProcessTenant.InitAsync(_project);
        await File.AppendAllTextAsync(_project.SettingsPath("tenant-acme"), $"policies:\n  compliance:\n    {policySetting}\n");

        var preview = await InProcessTenant.OkAsync(_project, "preview");

        Assert.Contains("Policy packs: compliance 1.0.0", preview.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_project_file_decides_which_stack_kinds_run_which_packs()
    {
        var pulumi = Path.Combine(_project.Directory, "Pulumi.yaml");
        await File.WriteAllTextAsync(pulumi, (await File.ReadAllTextAsync(pulumi)).Replace("tenant: [compliance]", "tenant: [compliance]\n  synthetic: [compliance]", StringComparison.Ordinal));
        await InProcessTenant.InitSyntheticAsync(_project, 2);

        var preview = await InProcessTenant.OkAsync(_project, "preview");

        Assert.Contains("Policy packs: compliance 1.0.0", preview.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stack_kind_without_defaults_runs_no_pack_and_says_so()
    {
        await InProcessTenant.InitSyntheticAsync(_project, 2);

        var preview = await InProcessTenant.OkAsync(_project, "preview");

        Assert.Contains("Policy packs: none", preview.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  compliance: disabled\n")]
    [InlineData("  compliance:\n    level: disabled\n")]
    public async Task Stack_settings_that_turn_a_default_pack_off_are_refused_in_one_line(string section)
    {
        await InProcessTenant.InitAsync(_project);
        await File.AppendAllTextAsync(_project.SettingsPath("tenant-acme"), "policies:\n" + section);

        var preview = await InProcessTenant.RunAsync(_project, "preview");

        Assert.Equal(1, preview.ExitCode);
        var line = Assert.Single(preview.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("config key 'policies.compliance': the policy pack 'compliance' runs on every tenant stack", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Previewing", preview.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_test_of_a_saved_plan_runs_the_same_default_packs_as_preview()
    {
        await InProcessTenant.InitAsync(_project);
        // A stricter retention than the standard plan keeps: the default pack must catch it without --policy-pack.
        await File.AppendAllTextAsync(_project.SettingsPath("tenant-acme"), "policies:\n  compliance:\n    min-backup-retention: { minDays: 7 }\n");
        var plan = Path.Combine(_project.Directory, "plan.json");
        await InProcessTenant.OkAsync(_project, "preview", "--save-plan", plan);
        await File.WriteAllTextAsync(_project.SettingsPath("tenant-acme"),
            (await File.ReadAllTextAsync(_project.SettingsPath("tenant-acme"))).Replace("minDays: 7", "minDays: 400", StringComparison.Ordinal));

        var result = await InProcessTenant.RunAsync(_project, "policy", "test", "--plan", plan);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("Policy packs: compliance 1.0.0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("min-backup-retention", result.Stdout, StringComparison.Ordinal);
    }
}
