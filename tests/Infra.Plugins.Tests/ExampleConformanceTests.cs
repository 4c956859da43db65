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
        var folder = Directory.CreateTempSubdirectory("faulty-plugin-").FullName;
        File.WriteAllText(Path.Combine(folder, "plugin.json"), $$"""
            { "name": "faulty", "version": "0.0.1", "kind": "provider", "protocol": "infra-plugin/1",
              "command": ["node", "{{Path.Combine(TestPlugins.Folder, "faulty.mjs").Replace("\\", "/", StringComparison.Ordinal)}}"] }
            """);
        File.WriteAllText(Path.Combine(folder, "conformance.json"), """
            { "resources": [ { "type": "faulty:index:Thing", "inputs": { "name": "a", "v": 1 }, "update": { "name": "a", "v": 2 }, "conflicting": { "name": "a", "v": 3 } } ] }
            """);

        var report = await PluginConformance.RunAsync(folder, new ConformanceOptions(), CancellationToken.None);

        Assert.False(report.Passed);
        var failed = report.Checks.Where(static c => !c.Passed).Select(static c => c.Name).ToList();
        Assert.Contains(failed, static n => n.Contains("conflict", StringComparison.Ordinal));
        Assert.Contains(failed, static n => n.Contains("update in place", StringComparison.Ordinal));
        Assert.Matches(@"faulty@0\.0\.1: \d+ passed, \d+ failed", report.Lines().Last());
    }
}
