using Infra.Values;

namespace Infra.Engine.Tests;

public class ValueTests
{
    private static readonly ISecretCipher Reversing = new ReversingCipher();

    [Fact]
    public void Json_round_trips_secret_and_unknown_markers_in_plaintext_mode()
    {
        var map = PropertyMap.Create(new Dictionary<string, PropertyValue>
        {
            ["password"] = PropertyValue.Secret(PropertyValue.Create("hunter2")),
            ["later"] = PropertyValue.Unknown,
            ["nested"] = PropertyValue.Create(PropertyMap.Empty.SetItem("n", PropertyValue.Create(5))),
        });

        var json = PropertyJson.ToJson(map, PropertyJsonMode.Plaintext);

        Assert.Equal("""{"later":{"$unknown":true},"nested":{"n":5},"password":{"$secret":"hunter2"}}""", json);
        Assert.Equal(map, PropertyJson.ParseMap(json, PropertyJsonMode.Plaintext));
    }

    [Theory]
    [InlineData("""{"a":1,"b":[true,false,null,"s",2.5],"c":{"d":{}}}""")]
    [InlineData("""{"s":{"$secret":{"inner":[1,{"$unknown":true}]}},"u":{"$unknown":true}}""")]
    [InlineData("""{"$secret":"alone"}""")]
    [InlineData("""{"$unknown":false}""")]
    [InlineData("""{"$secret":"x","other":1}""")]
    [InlineData("""{"other":1,"$unknown":true}""")]
    [InlineData("""{"$secret":1,"$secret":2}""")]
    [InlineData("""{"dup":1,"dup":2}""")]
    [InlineData("""[[],{},[{"$secret":null}]]""")]
    [InlineData("""{"only":{"x":1}}""")]
    [InlineData("\"text\"")]
    [InlineData("-0.125")]
    public void Reading_plaintext_straight_from_a_reader_gives_what_reading_the_parsed_document_gives(string json)
    {
        var expected = PropertyJson.Parse(json, PropertyJsonMode.Plaintext);
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json + " "));
        reader.Read();

        var read = PropertyJson.ReadPlaintext(ref reader);

        Assert.Equal(expected, read);
        Assert.Equal(PropertyJson.ToJson(expected, PropertyJsonMode.Plaintext), PropertyJson.ToJson(read, PropertyJsonMode.Plaintext));
        Assert.False(reader.Read());
    }

    [Theory]
    [InlineData("""{"a":1""")]
    [InlineData("""{"a":[1,2}""")]
    [InlineData("""{"a":}""")]
    public void Reading_plaintext_from_a_reader_refuses_malformed_json(string json)
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() =>
        {
            var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
            reader.Read();
            PropertyJson.ReadPlaintext(ref reader);
        });
    }

    [Fact]
    public void Secret_and_unknown_flags_of_a_map_hold_on_every_ask_and_follow_each_copy()
    {
        var nested = PropertyMap.Empty.SetItem("password", PropertyValue.Secret(PropertyValue.Create("hunter2")));
        var map = PropertyMap.Empty.SetItem("nested", PropertyValue.Create(nested)).SetItem("later", PropertyValue.Unknown);

        Assert.True(map.ContainsSecrets);
        Assert.False(map.IsFullyKnown);
        Assert.True(map.ContainsSecrets);
        Assert.False(map.IsFullyKnown);

        var plain = map.SetItem("nested", PropertyValue.Create(PropertyMap.Empty.SetItem("password", PropertyValue.Create("public"))));
        Assert.False(plain.ContainsSecrets);
        Assert.False(plain.IsFullyKnown);
        var known = plain.Remove("later");
        Assert.True(known.IsFullyKnown);
        Assert.False(known.ContainsSecrets);
        Assert.True(map.ContainsSecrets);
    }

    [Fact]
    public void Masked_json_never_contains_the_secret()
    {
        var value = PropertyValue.Create([PropertyValue.Secret(PropertyValue.Create("hunter2"))]);

        Assert.Equal("""[{"$secret":"[secret]"}]""", PropertyJson.ToJson(value, PropertyJsonMode.Masked));
        Assert.Equal("[secret]", PropertyValue.Secret(PropertyValue.Create("hunter2")).ToString());
    }

    [Fact]
    public void Encrypted_json_stores_ciphertext_and_decrypts_back()
    {
        var map = PropertyMap.Empty.SetItem("password", PropertyValue.Secret(PropertyValue.Create("hunter2")));

        var json = PropertyJson.ToJson(map, PropertyJsonMode.Encrypted, Reversing);

        Assert.DoesNotContain("hunter2", json, StringComparison.Ordinal);
        Assert.Equal(map, PropertyJson.ParseMap(json, PropertyJsonMode.Encrypted, Reversing));
    }

    [Theory]
    [InlineData("a.b[0].c", "a.b[0].c")]
    [InlineData("labels[\"app.kubernetes.io/name\"]", "labels[\"app.kubernetes.io/name\"]")]
    [InlineData("spec.containers[10]", "spec.containers[10]")]
    public void Property_paths_parse_and_print_the_same(string text, string printed) =>
        Assert.Equal(printed, PropertyPath.Parse(text).ToString());

    [Theory]
    [InlineData("a..b")]
    [InlineData("a[x]")]
    [InlineData("a[0")]
    public void Malformed_property_paths_are_rejected(string text) =>
        Assert.Throws<FormatException>(() => PropertyPath.Parse(text));

    [Fact]
    public void Setting_a_path_creates_missing_objects_and_keeps_siblings()
    {
        var map = PropertyMap.Empty.SetItem("tags", PropertyValue.Create(PropertyMap.Empty.SetItem("env", PropertyValue.Create("dev"))));

        var updated = PropertyPath.Parse("tags.owner").Set(map, PropertyValue.Create("alice"));
        var created = PropertyPath.Parse("spec.replicas").Set(map, PropertyValue.Create(3));

        Assert.Equal("""{"tags":{"env":"dev","owner":"alice"}}""", PropertyJson.ToJson(updated, PropertyJsonMode.Plaintext));
        Assert.Equal(3, created["spec"].AsObject["replicas"].AsNumber);
    }

    [Fact]
    public void Diff_reports_leaf_paths_of_adds_deletes_and_updates()
    {
        var before = PropertyJson.ParseMap("""{"a":1,"b":{"c":2,"d":[1,2]},"gone":true}""", PropertyJsonMode.Plaintext);
        var after = PropertyJson.ParseMap("""{"a":1,"b":{"c":3,"d":[1,5]},"new":"x"}""", PropertyJsonMode.Plaintext);

        var changes = PropertyDiff.Compare(before, after).Select(c => $"{c.Kind}:{c.Path}").ToList();

        Assert.Equal(["Update:b.c", "Update:b.d[1]", "Delete:gone", "Add:new"], changes);
    }

    [Fact]
    public void A_value_that_becomes_secret_is_a_change_reported_without_its_content()
    {
        var before = PropertyMap.Empty.SetItem("p", PropertyValue.Create("x"));
        var after = PropertyMap.Empty.SetItem("p", PropertyValue.Secret(PropertyValue.Create("x")));

        var change = Assert.Single(PropertyDiff.Compare(before, after));

        Assert.Equal("p", change.Path.ToString());
        Assert.Equal("[secret]", change.New!.ToString());
    }

    [Fact]
    public void Values_convert_to_typed_dotnet_values()
    {
        var value = PropertyJson.Parse("""{"n":5,"list":["a","b"],"flag":true}""", PropertyJsonMode.Plaintext);

        Assert.Equal(5, ValueConverter.FromProperty<int>(value.AsObject["n"], "urn", "n"));
        Assert.Equal(["a", "b"], ValueConverter.FromProperty<string[]>(value.AsObject["list"], "urn", "list"));
        Assert.True(ValueConverter.FromProperty<bool>(value.AsObject["flag"], "urn", "flag"));
        var error = Assert.Throws<ResourceException>(() => ValueConverter.FromProperty<int>(value.AsObject["list"], "urn:x", "list"));
        Assert.Contains("output 'list'", error.Message, StringComparison.Ordinal);
    }

    private sealed class ReversingCipher : ISecretCipher
    {
        public string Encrypt(string plaintext, SecretContext context) => "enc:" + new string(plaintext.Reverse().ToArray());

        public string Decrypt(string ciphertext, SecretContext context) => new(ciphertext[4..].Reverse().ToArray());
    }
}
