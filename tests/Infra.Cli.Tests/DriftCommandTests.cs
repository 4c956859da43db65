using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Issue 11 §4: the scheduled drift check refreshes every stack and exports infra_stack_drifted for the drift alert.</summary>
public sealed class DriftCommandTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Refresh_all_expecting_no_changes_exits_2_on_drift_and_writes_a_gauge_per_stack_that_promtool_accepts()
    {
        foreach (var stack in new[] { "calm", "drifting" })
        {
            await InProcessTenant.InitSyntheticAsync(_project, 2, stack);
            await InProcessTenant.OkAsync(_project, "config", "set", "synthetic:cloudDir", Path.Combine(_project.Directory, "cloud-" + stack));
            await InProcessTenant.OkAsync(_project, "up", "--yes");
        }

        File.Delete(Directory.EnumerateFiles(Path.Combine(_project.Directory, "cloud-drifting")).First());
        var metrics = Path.Combine(_project.Directory, "drift.prom");

        var result = await InProcessTenant.RunAsync(_project, "refresh", "--all", "--expect-no-changes", "--yes", "--metrics-file", metrics);
        // promtool reads the metrics to check on stdin.
        var check = await RepositoryTools.RunAsync("bash", _project.Directory, "-c", $"promtool check metrics < '{metrics}'");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Drift in 1 of 2 stack(s): drifting.", result.Stdout, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(metrics);
        Assert.Contains("infra_stack_drifted{stack=\"calm\"} 0", lines);
        Assert.Contains("infra_stack_drifted{stack=\"drifting\"} 1", lines);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
    }

    [Fact]
    public async Task Refresh_all_without_drift_exits_0_and_says_so()
    {
        await InProcessTenant.InitSyntheticAsync(_project, 1, "one");
        await InProcessTenant.OkAsync(_project, "up", "--yes");

        var result = await InProcessTenant.OkAsync(_project, "refresh", "--all", "--expect-no-changes", "--yes");

        Assert.Contains("No drift in any of 1 stack(s).", result.Stdout, StringComparison.Ordinal);
    }
}
