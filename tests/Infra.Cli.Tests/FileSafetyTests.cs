using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Commands that write files never replace one silently and never crash on a missing folder: one line, exit 1.</summary>
public sealed class FileSafetyTests
{
    [Fact]
    public async Task Stack_init_over_an_existing_settings_file_refuses_in_one_line_and_force_takes_it_over()
    {
        using var project = new CliProject();
        const string Settings = "# ours, from git\nconfig:\n  infra:kind: synthetic\n";
        await File.WriteAllTextAsync(project.SettingsPath("dev"), Settings);

        var refused = await InProcessCli.RunAsync(project, args: ["stack", "init", "dev"]);

        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'environments/Pulumi.dev.yaml' exists already", line, StringComparison.Ordinal);
        Assert.Contains("--force", line, StringComparison.Ordinal);
        Assert.Equal(Settings, await File.ReadAllTextAsync(project.SettingsPath("dev")));
        Assert.DoesNotContain("dev", (await InProcessCli.RunAsync(project, args: ["stack", "ls"])).Stdout, StringComparison.Ordinal);

        var forced = await InProcessCli.RunAsync(project, args: ["stack", "init", "dev", "--force"]);

        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Contains("infra:kind: synthetic", await File.ReadAllTextAsync(project.SettingsPath("dev")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stack_init_copying_config_over_an_existing_settings_file_says_it_would_replace_it()
    {
        using var project = new CliProject();
        Assert.Equal(0, (await InProcessCli.RunAsync(project, args: ["stack", "init", "template"])).ExitCode);
        await File.WriteAllTextAsync(project.SettingsPath("prod"), "config:\n  infra:kind: synthetic\n");

        var refused = await InProcessCli.RunAsync(project, args: ["stack", "init", "prod", "--copy-config-from", "template"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--copy-config-from would replace it", Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal("config:\n  infra:kind: synthetic\n", await File.ReadAllTextAsync(project.SettingsPath("prod")));
    }

    [Fact]
    public async Task Plugin_keygen_into_a_missing_folder_is_one_line_exit_1_and_writes_nothing()
    {
        using var project = new CliProject();
        var missing = Path.Combine(project.Directory, "missing-dir");

        var stderr = new StringWriter();
        var host = new CliHost { Out = new StringWriter(), Error = stderr, Interactive = false, Redirected = true };

        var code = await CliApp.RunAsync(["plugin", "keygen", "--out", Path.Combine(missing, "key")], host, CancellationToken.None);

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"the folder '{missing}' does not exist", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }
}
