using Infra.Plugins.Providers;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Tests;

[Collection(PluginExamplesCollection.Name)]
public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData("typescript dns provider", 300)]
    [InlineData("java kvstore provider", 300)]
    public async Task One_plugin_process_serves_hundreds_of_calls_in_flight_at_once(string example, int count)
    {
        var folder = Directory.CreateTempSubdirectory("plugin-concurrency-").FullName;
        var (directory, package, type, config, inputs) = example.StartsWith("typescript", StringComparison.Ordinal)
            ? (TestPlugins.Dns, "dns", "dns:index:Record", ("zoneFile", Path.Combine(folder, "zone.db")),
                (Func<int, PropertyMap>)(i => PropertyMap.Create([new("name", PropertyValue.Create($"h{i}")), new("type", PropertyValue.Create("A")), new("value", PropertyValue.Create($"192.0.2.{i % 250}"))])))
            : (TestPlugins.KvStore, "kvstore", "kvstore:index:Entry", ("storeFile", Path.Combine(folder, "store.json")),
                i => PropertyMap.Create([new("key", PropertyValue.Create($"k{i}")), new("value", PropertyValue.Secret(PropertyValue.Create($"v{i}")))]));
        var context = new ProviderContext("dev", "plugins", folder, PropertyMap.Create([new(config.Item1, PropertyValue.Create(config.Item2))]), IsPreview: false);
        await using var provider = new PluginProvider(package, TestPlugins.Example(directory), context);
        await provider.GetInfoAsync(CancellationToken.None);

        var created = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            provider.CreateAsync(new CreateRequest($"urn:pulumi:dev::plugins::{type}::r{i}", type, inputs(i), null, Preview: false), CancellationToken.None)));
        var read = await Task.WhenAll(created.Select((c, i) =>
            provider.ReadAsync(new ReadRequest($"urn:pulumi:dev::plugins::{type}::r{i}", type, c.Id, inputs(i), c.Outputs), CancellationToken.None)));

        Assert.Equal(count, created.Select(static c => c.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(read, static r => Assert.Equal(ReadStatus.Found, r.Status));
        Assert.All(created, static c => Assert.DoesNotContain(c.Outputs.Values, static v => v.IsUnknown));
    }
}
