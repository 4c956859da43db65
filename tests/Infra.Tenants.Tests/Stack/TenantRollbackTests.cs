using System.Text.Json;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Stack;

/// <summary>
/// <c>infra stack rollback</c> on a real tenant: standard, then enterprise, then back to standard through the CLI,
/// with a real PostgreSQL and the local GitOps work tree.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TenantRollbackTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Rollback_from_enterprise_to_standard_restores_quota_limits_connection_limit_and_release_values_and_keeps_the_rows()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id, plan: "standard");
        var up = await project.UpAsync(stack);
        Assert.True(up.ExitCode == 0, up.ToString());
        var database = Server.ConnectionString($"tenant_{id}");
        await Sql.ExecuteAsync(database, $"SET ROLE \"tenant_{id}\"", "CREATE TABLE app.orders(id int PRIMARY KEY, item text)",
            "INSERT INTO app.orders SELECT g, 'item ' || g FROM generate_series(1, 300) g");
        var standardUpdate = (await HistoryAsync(project, stack))[0];
        Assert.Equal("update", standardUpdate.GetProperty("kind").GetString());
        var folder = Path.Combine(project.Cli.GitOpsPath, stack);
        var standardTree = Tree(folder);

        await project.ConfigAsync(stack, ("tenant:plan", "enterprise"));
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        Assert.Equal(100, await ConnectionLimitAsync(id));
        Assert.NotEqual(standardTree, Tree(folder));

        var rollback = await project.Cli.RunAsync("stack", "rollback", "--to", standardUpdate.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--yes", "-s", stack);

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Contains("Databases keep their data", rollback.Stdout, StringComparison.Ordinal);
        // Quota, limits, priority class and the release's values: every rendered object is byte for byte update 1's.
        Assert.Equal(standardTree, Tree(folder));
        Assert.Equal(20, await ConnectionLimitAsync(id));
        Assert.Equal(20, await Sql.ScalarAsync<int>(Server, "SELECT datconnlimit FROM pg_database WHERE datname = $1", $"tenant_{id}"));
        Assert.Equal(300L, await Sql.ScalarAsync<long>(database, "SELECT count(*) FROM app.orders"));
        Assert.Contains("tenant:plan: standard", await File.ReadAllTextAsync(project.Cli.SettingsPath(stack)), StringComparison.Ordinal);
        var history = await HistoryAsync(project, stack);
        Assert.Equal(("rollback", "succeeded"), (history[0].GetProperty("kind").GetString(), history[0].GetProperty("result").GetString()));
        // GitOps: one more commit on top, never a rewrite.
        var commits = await TenantWorkspace.CommitSubjectsAsync(project.Cli.GitOpsPath);
        Assert.Equal(3, commits.Length);
        Assert.StartsWith($"infra: rollback stack '{stack}'", commits[0], StringComparison.Ordinal);
        Assert.Equal(0, (await project.Cli.RunAsync("preview", "--expect-no-changes", "-s", stack)).ExitCode);
    }

    [Fact]
    public async Task Rollback_to_an_update_that_does_not_exist_or_applied_no_config_is_one_line_and_changes_nothing()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        await project.Cli.RunOkAsync("refresh", "--yes", "-s", stack);
        var refresh = (await HistoryAsync(project, stack))[0].GetProperty("id").GetInt64();
        var settings = await File.ReadAllTextAsync(project.Cli.SettingsPath(stack));

        var missing = await project.Cli.RunAsync("stack", "rollback", "--to", "999999", "--yes", "-s", stack);
        var notApplied = await project.Cli.RunAsync("stack", "rollback", "--to", refresh.ToString(System.Globalization.CultureInfo.InvariantCulture), "--yes", "-s", stack);

        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"error: stack '{stack}': update 999999 is not an update of this stack", missing.Stderr.Trim().Split(" (")[0]);
        Assert.Equal(1, notApplied.ExitCode);
        Assert.Contains($"update {refresh} is a refresh, which applies no config", notApplied.Stderr, StringComparison.Ordinal);
        Assert.Single(notApplied.Stderr.Trim().Split('\n'));
        Assert.Equal(settings, await File.ReadAllTextAsync(project.Cli.SettingsPath(stack)));
        Assert.Equal(2, (await HistoryAsync(project, stack)).Length);
    }

    private Task<int> ConnectionLimitAsync(string id) =>
        Sql.ScalarAsync<int>(Server, "SELECT rolconnlimit FROM pg_roles WHERE rolname = $1", $"tenant_{id}");

    private static async Task<JsonElement[]> HistoryAsync(TenantProject project, string stack)
    {
        var result = await project.Cli.RunOkAsync("stack", "history", "--json", "-s", stack);
        return [.. JsonDocument.Parse(result.Stdout).RootElement.Clone().EnumerateArray()];
    }

    /// <summary>Every file of the stack's GitOps folder and its text, by relative path.</summary>
    private static string Tree(string folder) => string.Join("\n", Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal)
        .Select(f => $"== {Path.GetRelativePath(folder, f)}\n{File.ReadAllText(f)}"));
}
