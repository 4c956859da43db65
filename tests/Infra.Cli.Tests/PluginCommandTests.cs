using System.Text.Json.Nodes;
using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary><c>./infra plugin ...</c> as a user runs it: keys, publishing, search, install, the lock, and the checks before an operation.</summary>
public sealed class PluginCommandTests : IDisposable
{
    private readonly CliProject _project = new();
    private readonly string _work = Directory.CreateTempSubdirectory("infra-plugin-cli-").FullName;

    private string Registry => Path.Combine(_work, "registry");

    private Task<CliResult> InfraAsync(params string[] args) => CliRunner.RunAsync(_project.Directory, _project.Environment, args);

    private string Plugin(string name, string version)
    {
        var folder = Path.Combine(_work, $"{name}-{version}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "plugin.mjs"), "process.stdin.resume();\n");
        File.WriteAllText(Path.Combine(folder, "plugin.json"), $$"""
            { "name": "{{name}}", "version": "{{version}}", "description": "Zone helpers.", "kind": "provider",
              "protocol": "infra-plugin/1", "runtime": "node", "command": ["node", "plugin.mjs"] }
            """);
        return folder;
    }

    [Fact]
    public async Task A_user_publishes_a_signed_plugin_installs_it_into_a_project_and_operations_check_it_against_the_lock()
    {
        var key = Path.Combine(_work, "acme.key");
        var keygen = await InfraAsync("plugin", "keygen", "--out", key);
        Assert.True(keygen.ExitCode == 0, keygen.ToString());
        var publicKey = (await File.ReadAllTextAsync(key + ".pub")).Trim();
        Assert.Contains(publicKey, keygen.Stdout, StringComparison.Ordinal);

        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            var published = await InfraAsync("plugin", "publish", Plugin("zone-tools", version), "--registry", Registry, "--key", key);
            Assert.True(published.ExitCode == 0, published.ToString());
        }

        await File.AppendAllTextAsync(Path.Combine(_project.Directory, "Pulumi.yaml"),
            $"\nplugins:\n  registry: {Registry}\n  trustedKeys:\n    acme: {publicKey}\n");
        var search = await InfraAsync("plugin", "search", "zone", "--json");
        Assert.Equal("1.1.0", JsonNode.Parse(search.Stdout)![0]!["latest"]!.GetValue<string>());
        var info = await InfraAsync("plugin", "info", "zone-tools");
        Assert.Contains("1.0.0", info.Stdout, StringComparison.Ordinal);

        var install = await InfraAsync("plugin", "install", "zone-tools", "--version", "[1.0.0, 1.1.0)");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("installed zone-tools 1.0.0", install.Stdout, StringComparison.Ordinal);
        Assert.Contains("zone-tools: \"[1.0.0, 1.1.0)\"", await File.ReadAllTextAsync(Path.Combine(_project.Directory, "Pulumi.yaml")), StringComparison.Ordinal);
        var list = await InfraAsync("plugin", "ls", "--json");
        Assert.Equal("installed", JsonNode.Parse(list.Stdout)![0]!["status"]!.GetValue<string>());

        Assert.Equal(0, (await InfraAsync("stack", "init", "dev")).ExitCode);
        await File.AppendAllTextAsync(Path.Combine(_project.Directory, ".infra", "plugins", "zone-tools", "1.0.0", "plugin.mjs"), "// edited\n");
        var preview = await InfraAsync("preview", "--stack", "dev");
        Assert.Equal(1, preview.ExitCode);
        Assert.Equal(
            "error: plugin 'zone-tools': the installed 1.0.0 does not match plugins.lock (its files changed since install); run 'infra plugin install' to restore it.",
            preview.Stderr.Trim());

        Assert.Equal(0, (await InfraAsync("plugin", "install")).ExitCode);
        var removed = await InfraAsync("plugin", "remove", "zone-tools");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("removed   zone-tools 1.0.0", removed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_refuses_a_plugin_signed_by_an_unknown_key_in_one_line()
    {
        var key = Path.Combine(_work, "stranger.key");
        Assert.Equal(0, (await InfraAsync("plugin", "keygen", "--out", key)).ExitCode);
        Assert.Equal(0, (await InfraAsync("plugin", "publish", Plugin("zone-tools", "1.0.0"), "--registry", Registry, "--key", key)).ExitCode);
        var trusted = Path.Combine(_work, "trusted.key");
        Assert.Equal(0, (await InfraAsync("plugin", "keygen", "--out", trusted)).ExitCode);
        await File.AppendAllTextAsync(Path.Combine(_project.Directory, "Pulumi.yaml"),
            $"\nplugins:\n  registry: {Registry}\n  trustedKeys:\n    acme: {(await File.ReadAllTextAsync(trusted + ".pub")).Trim()}\n  require:\n    zone-tools: \"1.0.0\"\n");

        var install = await InfraAsync("plugin", "install");

        Assert.Equal(1, install.ExitCode);
        Assert.StartsWith("error: plugin 'zone-tools': version 1.0.0: unknown key: signed by key ", install.Stderr, StringComparison.Ordinal);
        Assert.Single(install.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_project.Directory, "plugins.lock")));
    }

    [Fact]
    public async Task Plugin_test_passes_a_conforming_plugin_and_fails_a_broken_one_listing_the_failures()
    {
        var passed = await InfraAsync("plugin", "test", Path.Combine(RepositoryPaths.Root, "sdk", "python", "examples", "tenant_allowlist"));
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains("tenant-allowlist@0.1.0: ", passed.Stdout, StringComparison.Ordinal);
        Assert.Contains(" 0 failed", passed.Stdout, StringComparison.Ordinal);

        // The same pack with a fixture that expects an unlisted tenant to pass.
        var broken = Path.Combine(_work, "broken");
        Directory.CreateDirectory(broken);
        var example = Path.Combine(RepositoryPaths.Root, "sdk", "python", "examples", "tenant_allowlist");
        File.Copy(Path.Combine(example, "tenant_allowlist.py"), Path.Combine(broken, "tenant_allowlist.py"));
        File.WriteAllText(Path.Combine(broken, "plugin.json"), File.ReadAllText(Path.Combine(example, "plugin.json"))
            .Replace("\"../../src\"", $"\"{Path.Combine(RepositoryPaths.Root, "sdk", "python", "src")}\"", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(broken, "conformance.json"), File.ReadAllText(Path.Combine(example, "conformance.json"))
            .Replace("\"tenantId\": \"initech\"", "\"tenantId\": \"acme\"", StringComparison.Ordinal));

        var failed = await InfraAsync("plugin", "test", broken);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("FAIL ", failed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(" 0 failed", failed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pack_assembly_given_by_path_is_described_from_its_out_of_process_host()
    {
        var acme = Path.Combine(AppContext.BaseDirectory, "Acme.Policies.dll");

        var listed = await InfraAsync("policy", "ls", "--policy-pack", acme, "--json");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        var pack = JsonNode.Parse(listed.Stdout)!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "acme")!;
        Assert.Equal(("1.2.0", acme), (pack["version"]!.GetValue<string>(), pack["source"]!.GetValue<string>()));
        Assert.Contains(pack["policies"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "database-connection-limit");
    }

    public void Dispose()
    {
        _project.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
