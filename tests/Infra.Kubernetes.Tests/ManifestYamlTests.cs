using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Kubernetes.Tests;

public class ManifestYamlTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("0755")]
    [InlineData("1e3")]
    [InlineData("12:30")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("- item")]
    [InlineData("key: value")]
    [InlineData("#comment")]
    [InlineData("line one\nline two\n")]
    [InlineData(" leading space")]
    [InlineData("{\"json\": true}")]
    public void Strings_that_look_like_other_yaml_round_trip_as_strings(string text)
    {
        var manifest = PropertyMap.Empty.SetItem("value", PropertyValue.Create(text));

        var yaml = ManifestYaml.Write(manifest);

        Assert.Equal(manifest, ManifestYaml.ReadOne(yaml, "test.yaml"));
    }

    [Fact]
    public void Output_is_sorted_two_space_yaml_with_plain_scalars_where_safe()
    {
        var manifest = PropertyJson.ParseMap("""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x"},"data":{"b":"2","a":"plain text"},"list":[1,2.5,true,null],"empty":{}}""",
            PropertyJsonMode.Plaintext);

        var yaml = ManifestYaml.Write(manifest);

        Assert.Equal("""
            apiVersion: v1
            data:
              a: plain text
              b: "2"
            empty: {}
            kind: ConfigMap
            list:
              - 1
              - 2.5
              - true
              - null
            metadata:
              name: x

            """.Replace("\r\n", "\n", StringComparison.Ordinal), yaml);
        Assert.Equal(manifest, ManifestYaml.ReadOne(yaml, "test.yaml"));
    }
}
