using Infra.Providers.Random;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Every bad input: exit 1, one line naming the culprit, and nothing changed.</summary>
[Collection(CliCollection.Name)]
public sealed class BadInputTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    private async Task<byte[]> InitSyntheticAsync(string stack = "dev")
    {
        await _project.RunOkAsync("stack", "init", stack);
        await _project.RunOkAsync("config", "set", "infra:kind", "synthetic");
        await _project.RunOkAsync("config", "set", "synthetic:count", "5");
        await _project.RunOkAsync("up", "--yes");
        return await File.ReadAllBytesAsync(_project.SettingsPath(stack));
    }

    private static void AssertOneLineError(CliResult result, params string[] mentions)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Single(lines);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error, StringComparison.Ordinal);
        }
    }

    private async Task AssertStateUnchangedAsync(Func<Task> act)
    {
        var before = await _project.RunOkAsync("stack", "export", "-s", "dev");
        await act();
        var after = await _project.RunOkAsync("stack", "export", "-s", "dev");
        Assert.Equal(Strip(before.Stdout), Strip(after.Stdout));

        static string Strip(string export) => string.Join('\n', export.Split('\n').Where(l => !l.Contains("\"exported\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_stack_is_named()
    {
        await InitSyntheticAsync();
        var result = await _project.RunAsync("up", "--yes", "-s", "nope");
        AssertOneLineError(result, "stack 'nope' does not exist", "infra stack init nope");
    }

    [Fact]
    public async Task Malformed_yaml_names_the_file_and_line_and_changes_nothing()
    {
        await InitSyntheticAsync();
        var original = await File.ReadAllTextAsync(_project.SettingsPath("dev"));
        await AssertStateUnchangedAsync(async () =>
        {
            await File.WriteAllTextAsync(_project.SettingsPath("dev"), original + "  synthetic:shape: [wide\n");
            var result = await _project.RunAsync("up", "--yes");
            AssertOneLineError(result, "Pulumi.dev.yaml", "malformed YAML at line");
            await File.WriteAllTextAsync(_project.SettingsPath("dev"), original);
        });
    }

    [Fact]
    public async Task Unknown_config_key_in_the_settings_file_is_named_with_a_suggestion()
    {
        var settings = await InitSyntheticAsync();
        await AssertStateUnchangedAsync(async () =>
        {
            await File.AppendAllTextAsync(_project.SettingsPath("dev"), "  synthetic:cuont: \"9\"\n");
            var result = await _project.RunAsync("up", "--yes");
            AssertOneLineError(result, "Pulumi.dev.yaml", "'synthetic:cuont'", "did you mean 'synthetic:count'");
            await File.WriteAllBytesAsync(_project.SettingsPath("dev"), settings);
        });
    }

    [Fact]
    public async Task Unknown_config_key_is_refused_by_config_set()
    {
        await InitSyntheticAsync();
        var before = await File.ReadAllBytesAsync(_project.SettingsPath("dev"));
        var result = await _project.RunAsync("config", "set", "tenent:id", "acme");
        AssertOneLineError(result, "'tenent:id'", "unknown key");
        Assert.Equal(before, await File.ReadAllBytesAsync(_project.SettingsPath("dev")));
    }

    [Fact]
    public async Task Wrong_passphrase_is_reported_before_anything_runs()
    {
        await InitSyntheticAsync();
        await _project.RunOkAsync("config", "set", "--secret", "synthetic:secret", "canary");
        await AssertStateUnchangedAsync(async () =>
        {
            _project.Environment["INFRA_CONFIG_PASSPHRASE"] = "wrong";
            var result = await _project.RunAsync("up", "--yes");
            _project.Environment["INFRA_CONFIG_PASSPHRASE"] = CliProject.Passphrase;
            AssertOneLineError(result, "incorrect passphrase", "Pulumi.dev.yaml");
        });
    }

    [Fact]
    public async Task Locked_stack_names_the_holder_and_cancel_releases_a_remote_lock()
    {
        await InitSyntheticAsync();
        await using (var backend = await State.StateBackends.OpenAsync(TestProject.StateBackends, null, _project.Directory, default))
        {
            var remote = new State.LockInfo
            {
                LockId = "remote", Owner = "alice", Host = "build-agent-7", Pid = 4211,
            };
            Assert.True((await backend.TryAcquireLockAsync("dev", remote, TimeSpan.FromMinutes(30), _ => false, default)).Acquired);
        }

        await AssertStateUnchangedAsync(async () =>
        {
            var locked = await _project.RunAsync("up", "--yes");
            AssertOneLineError(locked, "locked by alice@build-agent-7 (pid 4211", "infra cancel -s dev");
        });

        var cancel = await _project.RunOkAsync("cancel", "--yes");
        Assert.Contains("alice@build-agent-7", cancel.Stdout, StringComparison.Ordinal);
        await _project.RunOkAsync("up", "--yes");
    }

    [Fact]
    public async Task Up_without_yes_and_without_a_terminal_refuses_and_says_why()
    {
        await InitSyntheticAsync();
        await _project.RunOkAsync("config", "set", "synthetic:count", "6");
        await AssertStateUnchangedAsync(async () =>
        {
            AssertOneLineError(await _project.RunAsync("up"), "needs --yes");
            AssertOneLineError(await _project.RunAsync("destroy"), "needs --yes");
        });
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public async Task Parallel_below_one_is_a_bad_input(string parallel)
    {
        await InitSyntheticAsync();
        AssertOneLineError(await _project.RunAsync("up", "--yes", "--parallel", parallel), "--parallel must be at least 1");
    }

    [Fact]
    public async Task Out_of_range_synthetic_count_is_named()
    {
        await InitSyntheticAsync();
        await _project.RunOkAsync("config", "set", "synthetic:count", "2000000");
        AssertOneLineError(await _project.RunAsync("preview"), "synthetic:count", "out of range");
    }

    [Fact]
    public async Task Duplicate_resource_is_named_and_nothing_changes()
    {
        await InitSyntheticAsync();
        await AssertStateUnchangedAsync(async () =>
        {
            var result = await InProcessCli.RunAsync(_project, (_, _) => StackProgram.FromDelegate(_ =>
            {
                new RandomString("twin", new RandomStringArgs { Length = 4 });
                new RandomString("twin", new RandomStringArgs { Length = 4 });
            }), null, "up", "--yes");
            AssertOneLineError(result, "duplicate resource URN", "random:index:RandomString::twin");
        });
    }

    [Fact]
    public async Task Dependency_cycle_names_every_resource_in_it_and_nothing_changes()
    {
        await InitSyntheticAsync();
        await AssertStateUnchangedAsync(async () =>
        {
            var result = await InProcessCli.RunAsync(_project, (_, _) => StackProgram.FromDelegate(_ =>
            {
                var later = new DeferredOutput<string>();
                var first = new RandomString("first", new RandomStringArgs { Length = 4, Keepers = new InputMap<string> { ["k"] = later.Output } });
                var second = new RandomString("second", new RandomStringArgs { Length = 4, Keepers = new InputMap<string> { ["k"] = first.Result } });
                later.Resolve(second.Result);
            }), null, "up", "--yes");
            AssertOneLineError(result, "dependency cycle", "RandomString::first", "RandomString::second");
        });
    }

    [Fact]
    public async Task Missing_project_file_is_reported()
    {
        var empty = Path.Combine(Path.GetTempPath(), "infra-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            AssertOneLineError(await CliRunner.RunAsync(empty, _project.Environment, "stack", "ls"), "No Pulumi.yaml found");
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }
}
