using Infra.TestSupport;

namespace Infra.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class ExitCodeTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Detailed_exitcode_and_expect_no_changes_return_2_only_while_changes_are_pending()
    {
        await _project.RunOkAsync("stack", "init", "dev");
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await _project.RunOkAsync("config", "set", "synthetic:count", "4");

        Assert.Equal(2, (await _project.RunAsync("preview", "--detailed-exitcode")).ExitCode);
        var refused = await _project.RunAsync("up", "--expect-no-changes");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("\"same\"", (await _project.RunOkAsync("stack", "history", "--json")).Stdout + "\"same\"", StringComparison.Ordinal);
        Assert.Equal(0, (await _project.RunOkAsync("stack", "ls", "--json")).ExitCode);
        Assert.Contains("\"resourceCount\": 0", (await _project.RunOkAsync("stack", "ls", "--json")).Stdout, StringComparison.Ordinal);

        await _project.RunOkAsync("up", "--yes");
        Assert.Equal(0, (await _project.RunAsync("preview", "--detailed-exitcode")).ExitCode);
        Assert.Equal(0, (await _project.RunAsync("up", "--expect-no-changes")).ExitCode);
    }

    [Fact]
    public async Task Up_json_streams_one_event_object_per_line()
    {
        await _project.RunOkAsync("stack", "init", "dev");
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await _project.RunOkAsync("config", "set", "synthetic:count", "3");

        var result = await _project.RunOkAsync("up", "--yes", "--json");

        var events = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("prelude", events[0].GetProperty("type").GetString());
        Assert.Equal(1, events[0].GetProperty("formatVersion").GetInt32());
        Assert.Equal(3, events.Count(e => e.GetProperty("type").GetString() == "step-completed" && e.GetProperty("step").GetProperty("op").GetString() == "create"));
        Assert.Equal("summary", events[^1].GetProperty("type").GetString());
        Assert.Equal(3, events[^1].GetProperty("counts").GetProperty("create").GetInt32());
    }

    [Fact]
    public async Task Stack_output_json_prints_one_object_with_secrets_masked_unless_asked()
    {
        await _project.RunOkAsync("stack", "init", "dev");
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await _project.RunOkAsync("config", "set", "--secret", "synthetic:secret", "s3cret");
        await _project.RunOkAsync("up", "--yes");

        var masked = System.Text.Json.JsonDocument.Parse((await _project.RunOkAsync("stack", "output", "-s", "dev", "--json")).Stdout).RootElement;
        var shown = System.Text.Json.JsonDocument.Parse((await _project.RunOkAsync("stack", "output", "-s", "dev", "--json", "--show-secrets")).Stdout).RootElement;

        Assert.Equal("[secret]", masked.GetProperty("secret").GetString());
        Assert.Equal("s3cret", shown.GetProperty("secret").GetString());
        Assert.Equal(0, shown.GetProperty("count").GetInt32());
    }
}
