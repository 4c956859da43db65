using Infra.Configuration;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>
/// <c>infra preview --format markdown</c>, the pull-request comment CI posts: compared with the checked-in
/// <c>expected/preview-markdown.md</c> (<c>INFRA_UPDATE_SNAPSHOTS=1</c> rewrites it), secrets masked, and cut to its
/// size cap with a note.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PreviewMarkdownTests : IDisposable
{
    private const string Canary = "canary-3f1b9c";
    private readonly CliProject _project = new();
    private readonly TestCloud _cloud = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Markdown_preview_summarises_by_action_folds_each_resource_diff_lists_violations_and_masks_secrets()
    {
        await InitAsync();
        await RunAsync(Version1, "up", "--yes");

        var result = await RunAsync(Version2, "preview", "--format", "markdown");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(Canary, result.Output, StringComparison.Ordinal);
        Assert.Equal(4, Count(result.Stdout, "<details>"));
        TextSnapshot.AssertMatches("preview-markdown.md", result.Stdout);
    }

    [Fact]
    public async Task Markdown_preview_over_its_size_cap_keeps_the_summary_and_says_how_many_resources_were_cut()
    {
        await InitAsync();

        var result = await RunAsync(_ => Many(200), "preview", "--format", "markdown", "--max-chars", "4000");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.InRange(result.Stdout.Length, 3000, 4000);
        Assert.Contains("| :heavy_plus_sign: create | 200 |", result.Stdout, StringComparison.Ordinal);
        var shown = Count(result.Stdout, "<details>");
        Assert.InRange(shown, 1, 199);
        Assert.Contains($"**Cut to stay under 4,000 characters:** {200 - shown} resources not shown. Run `infra preview -s app --diff` for the whole plan.", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("for the whole plan.\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_format_or_a_cap_without_markdown_is_a_one_line_error()
    {
        await InitAsync();

        var format = await RunAsync(Version1, "preview", "--format", "html");
        var cap = await RunAsync(Version1, "preview", "--max-chars", "5000");

        Assert.Equal(1, format.ExitCode);
        Assert.Contains("--format 'html' is not a format; use text, json or markdown.", format.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, cap.ExitCode);
        Assert.Contains("--max-chars applies only to --format markdown.", cap.Stderr, StringComparison.Ordinal);
    }

    private async Task InitAsync()
    {
        await _project.RunOkAsync("stack", "init", "app");
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        // Advisory, so the preview shows the violation and still exits 0.
        await File.AppendAllTextAsync(_project.SettingsPath("app"), "policies:\n  compliance:\n    secret-inputs: { level: advisory }\n");
    }

    private Task<CliResult> RunAsync(Action<StackConfig> declare, params string[] args) =>
        InProcessCli.RunAsync(_project, (_, config) => StackProgram.FromDelegate(_ => declare(config)), [new TestProviderFactory(_cloud)], args);

    private static void Version1(StackConfig config)
    {
        _ = new TestResource("web", new TestResourceArgs
        {
            Value = "v1",
            Tags = new InputMap<string> { ["team"] = "payments" },
            Password = Output.CreateSecret(Canary + "-1"),
        });
        _ = new TestResource("db", new TestResourceArgs { Replace = "small" });
        _ = new TestResource("legacy", new TestResourceArgs { Value = "to be removed" });
        _ = new TestResource("steady", new TestResourceArgs { Value = "same" });
    }

    private static void Version2(StackConfig config)
    {
        _ = new TestResource("web", new TestResourceArgs
        {
            Value = "v2 with `backticks` and <html> | pipes",
            Tags = new InputMap<string> { ["team"] = "checkout", ["apiToken"] = "plaintext-token" },
            Password = Output.CreateSecret(Canary + "-2"),
        });
        _ = new TestResource("db", new TestResourceArgs { Replace = "large" });
        _ = new TestResource("steady", new TestResourceArgs { Value = "same" });
        _ = new TestResource("cache", new TestResourceArgs { Value = "new" });
    }

    private static void Many(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _ = new TestResource($"r-{i:000}", new TestResourceArgs { Value = $"value {i}", Tags = new InputMap<string> { ["index"] = $"{i}" } });
        }
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
