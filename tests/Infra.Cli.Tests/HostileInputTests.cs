using System.Text;
using Infra.Configuration;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>
/// Input written to hang, crash or flood the CLI: each is one line on stderr naming the file or key and the limit,
/// exit 1, and nothing changed. What refusing costs is measured by <c>bench/Infra.Bench -- --yaml</c>, not here.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class HostileInputTests : IDisposable
{
    private const string AliasBomb = """
        a: &a [x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
        """;

    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    private async Task<byte[]> InitAsync()
    {
        await _project.RunOkAsync("stack", "init", "dev");
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await _project.RunOkAsync("config", "set", "synthetic:count", "2");
        return await File.ReadAllBytesAsync(_project.SettingsPath("dev"));
    }

    private static string AssertOneLineError(CliResult result, params string[] mentions)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error, StringComparison.Ordinal);
        }

        return error;
    }

    [Fact]
    public async Task A_500_byte_alias_bomb_in_the_stack_settings_is_refused_in_one_line()
    {
        await InitAsync();
        var bomb = "policies:\n" + string.Concat(AliasBomb.Split('\n').Select(static line => "  " + line + "\n"));
        Assert.True(Encoding.UTF8.GetByteCount(bomb) <= 500);
        await File.AppendAllTextAsync(_project.SettingsPath("dev"), bomb);

        var result = await _project.RunAsync("preview");

        AssertOneLineError(result, "Pulumi.dev.yaml", "alias '*a' is not allowed");
    }

    [Fact]
    public async Task A_value_nested_50000_deep_in_the_stack_settings_is_refused_in_one_line()
    {
        await InitAsync();
        await File.AppendAllTextAsync(_project.SettingsPath("dev"), "  synthetic:shape: " + new string('[', 50_000) + new string(']', 50_000) + "\n");

        var result = await _project.RunAsync("config", "ls");

        AssertOneLineError(result, "Pulumi.dev.yaml", "nesting deeper than 64 levels");
    }

    [Fact]
    public async Task A_complex_mapping_key_in_the_stack_settings_is_refused_in_one_line()
    {
        await InitAsync();
        await File.AppendAllTextAsync(_project.SettingsPath("dev"), "  ? [synthetic:shape]\n  : wide\n");

        var result = await _project.RunAsync("preview");

        AssertOneLineError(result, "Pulumi.dev.yaml", "complex mapping key");
    }

    [Fact]
    public async Task A_stack_settings_file_over_1_MiB_is_refused_in_one_line()
    {
        await InitAsync();
        await File.AppendAllTextAsync(_project.SettingsPath("dev"), "# " + new string('x', SafeYaml.MaxFileBytes) + "\n");

        var result = await _project.RunAsync("preview");

        AssertOneLineError(result, "Pulumi.dev.yaml", "larger than 1 MiB");
    }

    [Fact]
    public async Task A_10_MB_value_on_stdin_is_refused_without_being_echoed_back()
    {
        var before = await InitAsync();

        var result = await _project.RunWithInputAsync(new string('7', 10 * 1024 * 1024) + "x", "config", "set", "synthetic:count");

        var error = AssertOneLineError(result, "config key 'synthetic:count'", "(10485761 characters) is not an integer");
        Assert.True(error.Length < 600, $"{error.Length} characters");
        Assert.Equal(before, await File.ReadAllBytesAsync(_project.SettingsPath("dev")));
    }

    [Fact]
    public async Task A_secret_read_from_stdin_is_stored_encrypted_and_reads_back()
    {
        await InitAsync();
        const string url = "postgres://admin:p%40ss w0rd@127.0.0.1:5432/postgres";

        var set = await _project.RunWithInputAsync(url + "\n", "config", "set", "--secret", "postgres:connectionString");

        Assert.True(set.ExitCode == 0, set.ToString());

        Assert.DoesNotContain("p%40ss", await File.ReadAllTextAsync(_project.SettingsPath("dev")), StringComparison.Ordinal);
        var shown = await _project.RunOkAsync("config", "get", "postgres:connectionString", "--show-secrets");
        Assert.Equal(url, shown.Stdout.TrimEnd('\n'));
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_key_is_refused_in_one_line_naming_the_key()
    {
        await InitAsync();
        await _project.RunOkAsync("config", "set", "--secret", "synthetic:secret", "the synthetic secret");
        var settings = await File.ReadAllTextAsync(_project.SettingsPath("dev"));
        var ciphertext = settings.Split('\n').SkipWhile(static l => l.Trim() != "synthetic:secret:").Skip(1).First().Trim()["secure: ".Length..];
        await File.AppendAllTextAsync(_project.SettingsPath("dev"), $"  postgres:connectionString:\n    secure: {ciphertext}\n");

        var result = await _project.RunAsync("config", "get", "postgres:connectionString", "--show-secrets");

        AssertOneLineError(result, "Pulumi.dev.yaml", "config key 'postgres:connectionString': does not decrypt for this key and stack");
        Assert.DoesNotContain("the synthetic secret", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_saved_plan_is_refused_in_one_line_with_nothing_printed_before_it()
    {
        await InitAsync();
        var plan = Path.Combine(_project.Directory, "plan.json");
        await _project.RunOkAsync("preview", "--save-plan", plan);
        await _project.RunOkAsync("up", "--yes");

        var result = await _project.RunAsync("up", "--yes", "--plan", plan);

        AssertOneLineError(result, "has moved since the plan was made");
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task A_tenant_id_with_a_trailing_newline_is_refused_where_it_is_set_and_again_by_preview_when_forced()
    {
        await _project.RunOkAsync("stack", "init", "tenant-acme");
        await _project.RunOkAsync("config", "set", "infra:kind", "tenant");

        var refused = await _project.RunAsync("config", "set", "tenant:id", "acme\n");
        await _project.RunOkAsync("config", "set", "--force", "tenant:id", "acme\n");
        await _project.RunOkAsync("config", "set", "tenant:plan", "standard");
        var result = await _project.RunAsync("preview");

        AssertOneLineError(refused, "config key 'tenant:id'", @"'acme\n' is not a tenant id");
        AssertOneLineError(result, "config key 'tenant:id'", @"'acme\n' is not a tenant id");
    }
}
