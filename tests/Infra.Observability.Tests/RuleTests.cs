using Infra.Observability.Rules;
using Infra.Observability.Tests.Support;

namespace Infra.Observability.Tests;

public class RuleTests
{
    private static string RenderRules(PlatformMonitoringArgs monitoring, out IReadOnlyList<string> files)
    {
        var directory = Path.Combine(Path.GetTempPath(), "infra-observability-rules", Guid.NewGuid().ToString("N"));
        files = MonitoringFiles.Write(directory, monitoring);
        return directory;
    }

    [Fact]
    public async Task Every_rendered_rule_file_passes_promtool_check_rules()
    {
        RenderRules(TestMonitoring.Args(), out var files);

        Assert.Equal(7, files.Count);
        foreach (var file in files)
        {
            var output = await Tools.RequireAsync("promtool", "check", "rules", file);
            Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_alert_has_a_runbook_in_the_repository_and_its_url_in_the_annotation()
    {
        var monitoring = TestMonitoring.Args();
        var alerts = monitoring.Alerts();

        Assert.Equal(alerts.Count, alerts.Select(static a => a.Name).Distinct().Count());
        var missing = alerts.Where(static a => !File.Exists(Path.Combine(TestSupport.RepositoryPaths.Root, Runbooks.PathOf(a.Name)))).Select(static a => a.Name).ToList();
        Assert.True(missing.Count == 0, $"alerts without a runbook in {Runbooks.Folder}: {string.Join(", ", missing)}");
        var yaml = RuleFiles.Yaml(monitoring.RuleSources().SelectMany(static s => s.RuleGroups()));
        foreach (var alert in alerts)
        {
            Assert.Contains($"runbook_url: {Runbooks.UrlOf(alert.Name)}", yaml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_alert_fires_in_its_window_and_stays_quiet_below_it_under_promtool_test_rules()
    {
        var monitoring = TestMonitoring.Args();
        var directory = RenderRules(monitoring, out var files);
        var tests = AlertScenarios.For(monitoring).ToList();

        // Every alert is tested both ways, and the burn-rate alerts with a 15x and a 2x series.
        foreach (var alert in monitoring.Alerts())
        {
            Assert.True(tests.Any(t => t.Alert.Name == alert.Name && t.ExpectsFiring), $"{alert.Name} has no promtool case in which it fires.");
            Assert.True(tests.Any(t => t.Alert.Name == alert.Name && t.ExpectsQuiet), $"{alert.Name} has no promtool case in which it stays quiet.");
        }

        var file = Path.Combine(directory, "alerts.test.yml");
        await File.WriteAllTextAsync(file,
            "rule_files:\n" + string.Concat(files.Select(static f => $"  - '{f}'\n")) + "evaluation_interval: 1m\ntests:\n" + string.Concat(tests.Select(static t => t.Yaml())));
        var output = await Tools.RequireAsync("promtool", "test", "rules", file);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistaken_expectation_fails_promtool_so_the_unit_tests_can_fail()
    {
        var monitoring = TestMonitoring.Args();
        var directory = RenderRules(monitoring, out var files);
        var alert = monitoring.Alerts().Single(static a => a.Name == "TenantDatabaseSizeOverLimit");
        // 85 % of the plan: the critical alert must not fire, so expecting it is an error promtool reports.
        var wrong = new PromtoolTest(alert, [InputSeries.Gauge("pg_tenant_database_size_bytes{tenant=\"acme\", datname=\"tenant_acme\"}", 0.85 * TestMonitoring.Plan.DatabaseSizeBytes)])
            .FiresAt(TimeSpan.FromMinutes(30), new Dictionary<string, string> { ["tenant"] = "acme", ["plan"] = "test" });
        var file = Path.Combine(directory, "wrong.test.yml");
        await File.WriteAllTextAsync(file, "rule_files:\n" + string.Concat(files.Select(static f => $"  - '{f}'\n")) + "tests:\n" + wrong.Yaml());

        var (code, output) = await Tools.RunAsync("promtool", "test", "rules", file);

        Assert.NotEqual(0, code);
        Assert.Contains("TenantDatabaseSizeOverLimit", output, StringComparison.Ordinal);
    }
}
