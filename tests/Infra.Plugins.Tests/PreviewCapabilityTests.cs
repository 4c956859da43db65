using Infra.Plugins.Providers;
using Infra.Plugins.Runtime;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Tests;

/// <summary>The <c>preview</c> capability: which plugins get a preview's create and update, and what the others predict.</summary>
public sealed class PreviewCapabilityTests
{
    private const string Type = "faulty:index:Thing";
    private const string Urn = $"urn:pulumi:dev::test::{Type}::a";

    private static readonly PropertyMap Inputs = PropertyMap.Create([
        new("name", PropertyValue.Create("a")),
        new("token", PropertyValue.Secret(PropertyValue.Create("s3cret"))),
        new("later", PropertyValue.Unknown),
    ]);

    private static PluginProvider Provider(PluginOptions options) =>
        new("faulty", options, new ProviderContext("dev", "test", "/tmp", PropertyMap.Empty, IsPreview: true));

    private static UpdateRequest PreviewUpdate => new(Urn, Type, "a", PropertyMap.Empty, PropertyMap.Empty, Inputs, null, Preview: true);

    [Fact]
    public async Task A_plugin_without_the_preview_capability_gets_no_preview_call_and_its_prediction_is_the_inputs_with_secrets_and_unknowns_kept()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty());
        var provider = Provider(options);
        CreateResponse created;
        UpdateResponse updated;
        await using (provider)
        {
            created = await provider.CreateAsync(new CreateRequest(Urn, Type, Inputs, null, Preview: true), CancellationToken.None);
            updated = await provider.UpdateAsync(PreviewUpdate, CancellationToken.None);
        }

        // The ID and every output the inputs do not hold stay unknown: the engine reads a missing output of a
        // predicted resource as unknown.
        Assert.Equal(string.Empty, created.Id);
        Assert.Equal(Inputs, created.Outputs);
        Assert.True(created.Outputs["token"].IsSecret);
        Assert.False(created.Outputs.IsFullyKnown);
        Assert.Equal(Inputs, updated.Outputs);
        Assert.Empty(TestPlugins.RecordedRequests(log, "create"));
        Assert.Empty(TestPlugins.RecordedRequests(log, "update"));
        Assert.Single(TestPlugins.RecordedRequests(log, "handshake"));
    }

    [Fact]
    public async Task A_plugin_with_the_preview_capability_predicts_a_previews_create_and_update_itself()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty("--preview"));
        await using var provider = Provider(options);

        var created = await provider.CreateAsync(new CreateRequest(Urn, Type, Inputs, null, Preview: true), CancellationToken.None);
        var updated = await provider.UpdateAsync(PreviewUpdate, CancellationToken.None);

        Assert.Equal("faulty", created.Outputs["predictedBy"].AsString);
        Assert.Equal("faulty", updated.Outputs["predictedBy"].AsString);
        Assert.True(Assert.Single(TestPlugins.RecordedRequests(log, "create")).GetProperty("preview").GetBoolean());
        Assert.True(Assert.Single(TestPlugins.RecordedRequests(log, "update")).GetProperty("preview").GetBoolean());
    }

    [Fact]
    public async Task A_plugin_without_the_preview_capability_still_gets_the_applys_create()
    {
        var (options, log) = TestPlugins.Recorded(TestPlugins.Faulty());
        await using var provider = Provider(options);

        var created = await provider.CreateAsync(new CreateRequest(Urn, Type, PropertyMap.Create([new("name", PropertyValue.Create("a"))]), null, Preview: false), CancellationToken.None);

        Assert.Equal("a", created.Id);
        Assert.False(Assert.Single(TestPlugins.RecordedRequests(log, "create")).GetProperty("preview").GetBoolean());
    }
}
