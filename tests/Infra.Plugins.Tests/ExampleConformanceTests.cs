using Infra.Plugins.Conformance;

namespace Infra.Plugins.Tests;

[Collection(PluginExamplesCollection.Name)]
public sealed class ExampleConformanceTests
{
    [Theory]
    [InlineData("typescript dns provider")]
    [InlineData("java kvstore provider")]
    [InlineData("python tenant allow-list policy pack")]
    public async Task Each_sdk_example_passes_the_conformance_suite(string example)
    {
        var folder = example switch
        {
            "typescript dns provider" => TestPlugins.Dns,
            "java kvstore provider" => TestPlugins.KvStore,
            _ => TestPlugins.TenantAllowList,
        };

        var report = await PluginConformance.RunAsync(folder, new ConformanceOptions { Build = false }, CancellationToken.None);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Lines()));
        Assert.True(report.Checks.Length >= 3, string.Join(Environment.NewLine, report.Lines()));
    }

    [Fact]
    public async Task The_suite_reports_a_plugin_that_breaks_the_contract()
    {
        // The faulty plugin never refuses a conflicting create and answers 'diff' with no changes: both are caught.
        var report = await PluginConformance.RunAsync(FaultyFolder(), new ConformanceOptions(), CancellationToken.None);

        Assert.False(report.Passed);
        var failed = report.Checks.Where(static c => !c.Passed).Select(static c => c.Name).ToList();
        Assert.Contains(failed, static n => n.Contains("conflict", StringComparison.Ordinal));
        Assert.Contains(failed, static n => n.Contains("update in place", StringComparison.Ordinal));
        Assert.Matches(@"faulty@0\.0\.1: \d+ passed, \d+ failed", report.Lines().Last());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_suite_checks_a_previews_create_only_for_a_plugin_that_announces_the_preview_capability(bool announced)
    {
        var report = await PluginConformance.RunAsync(FaultyFolder(announced ? ["--preview"] : []), new ConformanceOptions(), CancellationToken.None);

        var preview = Assert.Single(report.Checks, static c => c.Name.EndsWith("a preview with an unknown input changes nothing", StringComparison.Ordinal));
        Assert.True(preview.Passed, preview.Detail);
        Assert.Equal(announced ? "no unknown input named" : "'preview' not announced: the engine predicts a preview's outputs and never sends it", preview.Detail);
    }

    /// <summary>A plugin folder running the faulty test plugin with <paramref name="arguments"/>, and a fixture for its one type.</summary>
    private static string FaultyFolder(params string[] arguments)
    {
        var folder = Directory.CreateTempSubdirectory("faulty-plugin-").FullName;
        var command = new System.Text.Json.Nodes.JsonArray(["node", Path.Combine(TestPlugins.Folder, "faulty.mjs"), .. arguments.Select(static a => (System.Text.Json.Nodes.JsonNode?)a)]);
        File.WriteAllText(Path.Combine(folder, "plugin.json"), $$"""
            { "name": "faulty", "version": "0.0.1", "kind": "provider", "protocol": "infra-plugin/1", "command": {{command.ToJsonString()}} }
            """);
        File.WriteAllText(Path.Combine(folder, "conformance.json"), """
            { "resources": [ { "type": "faulty:index:Thing", "inputs": { "name": "a", "v": 1 }, "update": { "name": "a", "v": 2 }, "conflicting": { "name": "a", "v": 3 } } ] }
            """);
        return folder;
    }

    [Fact]
    public async Task Plugin_test_sends_a_provider_samples_of_its_own_types_only_and_reports_a_foreign_sample_in_the_fixture()
    {
        // The dns example, run from a folder whose fixture also carries the kvstore example's sample.
        var folder = Directory.CreateTempSubdirectory("foreign-sample-").FullName;
        var dns = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPlugins.Dns, "plugin.json")))!.AsObject();
        dns["command"] = new System.Text.Json.Nodes.JsonArray("node", Path.Combine(TestPlugins.Dns, "dist", "src", "index.js"));
        dns.Remove("build");
        File.WriteAllText(Path.Combine(folder, "plugin.json"), dns.ToJsonString());
        var fixture = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPlugins.Dns, "conformance.json")))!.AsObject();
        var kvstore = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPlugins.KvStore, "conformance.json")))!["resources"]!.AsArray()[0]!.DeepClone();
        fixture["resources"]!.AsArray().Add(kvstore);
        File.WriteAllText(Path.Combine(folder, "conformance.json"), fixture.ToJsonString());
        var log = Path.Combine(folder, "messages.jsonl");

        var report = await PluginConformance.RunAsync(folder, new ConformanceOptions { Build = false, Concurrency = 4, Launcher = new TestPlugins.RecordingLauncher(log) }, CancellationToken.None);

        var failed = Assert.Single(report.Checks, static c => !c.Passed);
        Assert.Equal("kvstore:index:Entry: not sent to dns", failed.Name);
        Assert.StartsWith("conformance.json lists a type of package 'kvstore', and this plugin is package 'dns'", failed.Detail, StringComparison.Ordinal);
        Assert.Contains(report.Checks, static c => c.Passed && c.Name.StartsWith("dns:index:Record: create", StringComparison.Ordinal));
        var sent = File.ReadAllLines(log).Where(static l => l.Contains("\"from\":\"engine\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(sent, static l => l.Contains("dns:index:Record", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, static l => l.Contains("kvstore", StringComparison.Ordinal));
    }
}
