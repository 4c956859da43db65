using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Infra.Values;

namespace Infra.Plugins.Protocol;

/// <summary>
/// How protocol messages are written: camelCase names, the engine's records as they are (each positional
/// parameter a field; computed properties such as <c>DiffResponse.HasChanges</c> left out), property bags as
/// <see cref="PropertyJson"/> in plaintext mode (<c>{"$secret": X}</c>, <c>{"$unknown": true}</c>), enums as
/// camelCase strings, timeouts as seconds, absent values as explicit nulls. Reading is strict: a missing required field or a null where the engine
/// expects a value fails, so a plugin's malformed answer is caught at the boundary.
/// </summary>
public static class PluginJson
{
    /// <summary>The serializer options of every protocol message.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serializes a message to compact JSON, as it goes on the wire.</summary>
    public static string Serialize<T>(T message) => JsonSerializer.Serialize(message, Options);

    /// <summary>Reads a message from JSON.</summary>
    /// <exception cref="JsonException">The JSON does not match the message.</exception>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Expected a {typeof(T).Name}, got null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlySettableProperties } },
        };
        options.Converters.Add(new PropertyMapConverter());
        options.Converters.Add(new PropertyValueConverter());
        options.Converters.Add(new SecondsConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Leaves out computed properties: what is written is exactly what can be read back.</summary>
    private static void OnlySettableProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            var property = info.Properties[i];
            if (property.Set is null && property.AssociatedParameter is null)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    private sealed class PropertyMapConverter : JsonConverter<PropertyMap>
    {
        public override PropertyMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = PropertyJson.ReadPlaintext(ref reader);
            return value.Kind == PropertyValueKind.Object
                ? value.AsObject
                : throw new JsonException($"Expected a property bag (a JSON object), got {value.Kind.ToString().ToLowerInvariant()}.");
        }

        public override void Write(Utf8JsonWriter writer, PropertyMap value, JsonSerializerOptions options) =>
            PropertyJson.WriteMap(writer, value, PropertyJsonMode.Plaintext);
    }

    private sealed class PropertyValueConverter : JsonConverter<PropertyValue>
    {
        public override bool HandleNull => true;

        public override PropertyValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            PropertyJson.ReadPlaintext(ref reader);

        public override void Write(Utf8JsonWriter writer, PropertyValue value, JsonSerializerOptions options) =>
            PropertyJson.Write(writer, value, PropertyJsonMode.Plaintext);
    }

    /// <summary>Timeouts travel as seconds (a number), which every language reads without a duration parser.</summary>
    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.TotalSeconds);
    }
}
