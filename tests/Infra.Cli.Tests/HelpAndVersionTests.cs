using System.Text.RegularExpressions;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Issue 14 §4 and §7: help and --version, as ./infra prints them, are snapshots; changing them is deliberate.</summary>
[Collection(CliCollection.Name)]
public sealed partial class HelpAndVersionTests
{
    private static readonly Dictionary<string, string?> s_environment = [];

    [Fact]
    public async Task Top_level_help_matches_its_snapshot_and_shows_the_global_options()
    {
        var help = await CliRunner.RunAsync(RepositoryPaths.Root, s_environment, "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("-s, --stack <NAME>", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("-C, --cwd <DIR>", help.Stdout, StringComparison.Ordinal);
        await Snapshot.MatchAsync("help.txt", help.Stdout);
    }

    [Theory]
    [InlineData("preview")]
    [InlineData("config set")]
    [InlineData("stack output")]
    public async Task Command_help_matches_its_snapshot(string command)
    {
        var help = await CliRunner.RunAsync(RepositoryPaths.Root, s_environment, [.. command.Split(' '), "--help"]);

        Assert.Equal(0, help.ExitCode);
        await Snapshot.MatchAsync($"help-{command.Replace(' ', '-')}.txt", help.Stdout);
    }

    [Fact]
    public async Task Version_prints_the_version_the_commit_and_the_runtime()
    {
        var version = await CliRunner.RunAsync(RepositoryPaths.Root, s_environment, "--version");

        Assert.Equal(0, version.ExitCode);
        var lines = version.Stdout.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^commit [0-9a-f]{12}$", lines[1]);
        Assert.Matches(@"^runtime \.NET \d+\.\d+\.\d+.* \(linux-(x64|arm64)\)$", lines[2]);
        await Snapshot.MatchAsync("version.txt", Scrub(version.Stdout));
    }

    private static string Scrub(string text) => RuntimeVersion().Replace(Commit().Replace(text, "commit <commit>"), "runtime .NET <version> (<rid>)");

    [GeneratedRegex(@"commit [0-9a-f]{12}")]
    private static partial Regex Commit();

    [GeneratedRegex(@"runtime \.NET .*")]
    private static partial Regex RuntimeVersion();
}
