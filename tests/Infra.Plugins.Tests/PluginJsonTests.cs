using System.Text.Json;
using Infra.Plugins.Protocol;
using Infra.Providers;
using Infra.Values;

namespace Infra.Plugins.Tests;

public sealed class PluginJsonTests
{
    [Fact]
    public void An_answer_s_property_bags_are_read_with_their_markers_and_the_fields_after_them_still_read()
    {
        var answer = PluginJson.Deserialize<ReadResponse>(
            """{"inputs": {"token": {"$secret": "t"}, "later": {"$unknown": true}}, "status": "found", "outputs": {"n": [1, {"$secret": {"k": "v"}}]}, "id": "x"}""");

        Assert.Equal(ReadStatus.Found, answer.Status);
        Assert.Equal("x", answer.Id);
        Assert.Equal(PropertyValue.Secret(PropertyValue.Create("t")), answer.Inputs["token"]);
        Assert.Equal(PropertyValue.Unknown, answer.Inputs["later"]);
        Assert.Equal(
            PropertyValue.Create([PropertyValue.Create(1), PropertyValue.Secret(PropertyValue.Create(PropertyMap.Create([new("k", PropertyValue.Create("v"))])))]),
            answer.Outputs["n"]);
    }

    [Theory]
    [InlineData("""{"id": "x", "outputs": [1]}""")]
    [InlineData("""{"id": "x", "outputs": {"$secret": {}}}""")]
    [InlineData("""{"id": "x", "outputs": {"a": [1, 2}}""")]
    public void An_answer_whose_bag_is_not_an_object_is_malformed(string json) =>
        Assert.ThrowsAny<JsonException>(() => PluginJson.Deserialize<CreateResponse>(json));
}
