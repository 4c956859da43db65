using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Infra.Values;

/// <summary>
/// The JSON form of property bags. Two reserved single-key objects carry the markers:
/// <c>{"$secret": X}</c> and <c>{"$unknown": true}</c>. What <c>X</c> holds depends on where the JSON goes:
/// the plaintext value on the provider wire, a ciphertext string in state and saved plans, and the string
/// <c>"[secret]"</c> in anything shown to people (plans printed with <c>--json</c>, events, logs).
/// </summary>
public static class PropertyJson
{
    /// <summary>The reserved key that marks a secret.</summary>
    public const string SecretKey = "$secret";

    /// <summary>The reserved key that marks an unknown value.</summary>
    public const string UnknownKey = "$unknown";

    /// <summary>What display output prints in place of a secret.</summary>
    public const string MaskedSecret = "[secret]";

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Writes <paramref name="value"/> in the given <paramref name="mode"/>.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="value">Value to write.</param>
    /// <param name="mode">How secrets and unknowns are written.</param>
    /// <param name="cipher">Encrypts secrets; required when <paramref name="mode"/> is <see cref="PropertyJsonMode.Encrypted"/>.</param>
    /// <param name="context">
    /// Where the value is stored; each secret is encrypted for its own path within it (<see cref="SecretContext.At"/>).
    /// </param>
    public static void Write(Utf8JsonWriter writer, PropertyValue value, PropertyJsonMode mode, ISecretCipher? cipher = null, SecretContext context = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        Write(writer, value, mode, cipher, SecretPath.For(mode, cipher, context));
    }

    private static void Write(Utf8JsonWriter writer, PropertyValue value, PropertyJsonMode mode, ISecretCipher? cipher, SecretPath? path)
    {
        switch (value.Kind)
        {
            case PropertyValueKind.Null:
                writer.WriteNullValue();
                break;
            case PropertyValueKind.Bool:
                writer.WriteBooleanValue(value.AsBool);
                break;
            case PropertyValueKind.Number:
                WriteNumber(writer, value.AsNumber);
                break;
            case PropertyValueKind.String:
                writer.WriteStringValue(value.AsString);
                break;
            case PropertyValueKind.Array:
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in value.AsArray)
                {
                    var mark = path?.Enter(index++);
                    Write(writer, item, mode, cipher, path);
                    path?.Leave(mark);
                }

                writer.WriteEndArray();
                break;
            case PropertyValueKind.Object:
                WriteObject(writer, value.AsObject, mode, cipher, path);
                break;
            case PropertyValueKind.Unknown:
                writer.WriteStartObject();
                writer.WriteBoolean(UnknownKey, true);
                writer.WriteEndObject();
                break;
            case PropertyValueKind.Secret:
                writer.WriteStartObject();
                writer.WritePropertyName(SecretKey);
                switch (mode)
                {
                    case PropertyJsonMode.Plaintext:
                        Write(writer, value.SecretValue, mode, cipher, path);
                        break;
                    case PropertyJsonMode.Masked:
                        writer.WriteStringValue(MaskedSecret);
                        break;
                    case PropertyJsonMode.Encrypted:
                        if (cipher is null)
                        {
                            throw new InvalidOperationException("Writing a secret in encrypted mode needs a secret cipher.");
                        }

                        writer.WriteStringValue(cipher.Encrypt(ToJson(value.SecretValue, PropertyJsonMode.Plaintext), path!.Context));
                        break;
                }

                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>Writes a map as a JSON object; secrets are encrypted for their paths within <paramref name="context"/>.</summary>
    public static void WriteMap(Utf8JsonWriter writer, PropertyMap map, PropertyJsonMode mode, ISecretCipher? cipher = null, SecretContext context = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(map);
        WriteObject(writer, map, mode, cipher, SecretPath.For(mode, cipher, context));
    }

    /// <summary>Serializes a value to compact JSON; secrets are encrypted for their paths within <paramref name="context"/>.</summary>
    public static string ToJson(PropertyValue value, PropertyJsonMode mode, ISecretCipher? cipher = null, SecretContext context = default)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            Write(writer, value, mode, cipher, context);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Serializes a map to compact JSON; secrets are encrypted for their paths within <paramref name="context"/>.</summary>
    public static string ToJson(PropertyMap map, PropertyJsonMode mode, ISecretCipher? cipher = null, SecretContext context = default) =>
        ToJson(PropertyValue.Create(map), mode, cipher, context);

    /// <summary>Display-safe JSON: secrets masked, unknowns marked.</summary>
    public static string ToDisplayJson(PropertyValue value) => ToJson(value, PropertyJsonMode.Masked);

    /// <summary>Parses JSON text into a value; secrets are decrypted for their paths within <paramref name="context"/>.</summary>
    /// <exception cref="JsonException">The text is not valid JSON.</exception>
    public static PropertyValue Parse(string json, PropertyJsonMode mode, ISecretCipher? cipher = null, SecretContext context = default)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement, mode, cipher, context);
    }

    /// <summary>Parses JSON text that must hold an object into a map.</summary>
    /// <exception cref="JsonException">The text is not valid JSON or not an object.</exception>
    public static PropertyMap ParseMap(string json, PropertyJsonMode mode, ISecretCipher? cipher = null, SecretContext context = default)
    {
        var value = Parse(json, mode, cipher, context);
        return value.Kind == PropertyValueKind.Object
            ? value.AsObject
            : throw new JsonException($"Expected a JSON object but found {value.Kind.ToString().ToLowerInvariant()}.");
    }

    /// <summary>Converts a parsed JSON element into a value; secrets are decrypted for their paths within <paramref name="context"/>.</summary>
    public static PropertyValue Read(JsonElement element, PropertyJsonMode mode, ISecretCipher? cipher = null, SecretContext context = default) =>
        Read(element, mode, cipher, SecretPath.For(mode, cipher, context));

    /// <summary>
    /// Reads one value in <see cref="PropertyJsonMode.Plaintext"/> (the provider wire's form) straight from
    /// <paramref name="reader"/>, which is on the value's first token and is left on its last, with the same result as
    /// <see cref="Read(JsonElement, PropertyJsonMode, ISecretCipher?, SecretContext)"/> of that value. A plugin's every
    /// answer is read this way, once, without first building a <see cref="JsonDocument"/> of it.
    /// </summary>
    /// <exception cref="JsonException">The JSON is malformed.</exception>
    public static PropertyValue ReadPlaintext(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return PropertyValue.Null;
            case JsonTokenType.True:
                return PropertyValue.True;
            case JsonTokenType.False:
                return PropertyValue.False;
            case JsonTokenType.Number:
                return PropertyValue.Create(reader.GetDouble());
            case JsonTokenType.String:
                return PropertyValue.Create(reader.GetString());
            case JsonTokenType.StartArray:
                var items = ImmutableArray.CreateBuilder<PropertyValue>();
                for (Next(ref reader); reader.TokenType != JsonTokenType.EndArray; Next(ref reader))
                {
                    items.Add(ReadPlaintext(ref reader));
                }

                return PropertyValue.Create(items.ToImmutable());
            case JsonTokenType.StartObject:
                return ReadPlaintextObject(ref reader);
            default:
                throw new JsonException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private static PropertyValue ReadPlaintextObject(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return PropertyValue.Create(PropertyMap.Empty);
        }

        var builder = PropertyMap.CreateBuilder();
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            Next(ref reader);
            var value = ReadPlaintext(ref reader);
            Next(ref reader);
            // A marker is the object's only key: known once the object ends right after it.
            if (builder.Count == 0 && reader.TokenType == JsonTokenType.EndObject)
            {
                switch (key)
                {
                    case SecretKey:
                        return PropertyValue.Secret(value);
                    case UnknownKey:
                        return PropertyValue.Unknown;
                }
            }

            builder[key] = value;
        }

        return PropertyValue.Create(builder.ToPropertyMap());
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The JSON ends inside a value.");
        }
    }

    private static PropertyValue Read(JsonElement element, PropertyJsonMode mode, ISecretCipher? cipher, SecretPath? path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return PropertyValue.Null;
            case JsonValueKind.True:
                return PropertyValue.True;
            case JsonValueKind.False:
                return PropertyValue.False;
            case JsonValueKind.Number:
                return PropertyValue.Create(element.GetDouble());
            case JsonValueKind.String:
                return PropertyValue.Create(element.GetString());
            case JsonValueKind.Array:
                var items = ImmutableArray.CreateBuilder<PropertyValue>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    var mark = path?.Enter(items.Count);
                    items.Add(Read(item, mode, cipher, path));
                    path?.Leave(mark);
                }

                return PropertyValue.Create(items.MoveToImmutable());
            case JsonValueKind.Object:
                return ReadObject(element, mode, cipher, path);
            default:
                throw new JsonException($"Unsupported JSON value kind {element.ValueKind}.");
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, PropertyMap map, PropertyJsonMode mode, ISecretCipher? cipher, SecretPath? path)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in map)
        {
            writer.WritePropertyName(key);
            var mark = path?.Enter(key);
            Write(writer, item, mode, cipher, path);
            path?.Leave(mark);
        }

        writer.WriteEndObject();
    }

    private static PropertyValue ReadObject(JsonElement element, PropertyJsonMode mode, ISecretCipher? cipher, SecretPath? path)
    {
        // A secret marker is the object's only key, and its value sits at the object's own path, not below it.
        if (IsMarker(element, SecretKey, out var sealedValue))
        {
            return PropertyValue.Secret(ReadSecret(sealedValue, mode, cipher, path));
        }

        if (IsMarker(element, UnknownKey, out _))
        {
            return PropertyValue.Unknown;
        }

        var builder = PropertyMap.CreateBuilder();
        foreach (var property in element.EnumerateObject())
        {
            var mark = path?.Enter(property.Name);
            builder[property.Name] = Read(property.Value, mode, cipher, path);
            path?.Leave(mark);
        }

        return PropertyValue.Create(builder.ToPropertyMap());
    }

    private static bool IsMarker(JsonElement element, string marker, out JsonElement value)
    {
        value = default;
        var count = 0;
        foreach (var property in element.EnumerateObject())
        {
            if (++count > 1 || property.Name != marker)
            {
                return false;
            }

            value = property.Value;
        }

        return count == 1;
    }

    private static PropertyValue ReadSecret(JsonElement inner, PropertyJsonMode mode, ISecretCipher? cipher, SecretPath? path)
    {
        switch (mode)
        {
            case PropertyJsonMode.Plaintext:
                return Read(inner, mode, cipher, path);
            case PropertyJsonMode.Masked:
                return PropertyValue.Create(MaskedSecret);
            default:
                if (inner.ValueKind != JsonValueKind.String)
                {
                    throw new JsonException("An encrypted secret must be a ciphertext string.");
                }

                if (cipher is null)
                {
                    // Without a key the value stays sealed: it is still a secret, just an unreadable one.
                    return PropertyValue.Create(MaskedSecret);
                }

                return Parse(cipher.Decrypt(inner.GetString()!, path!.Context), PropertyJsonMode.Plaintext);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, double number)
    {
        // Integral values print without a fraction so "5" round-trips as "5", not "5.0".
        if (Math.Abs(number) < 9.007199254740992E15 && number == Math.Floor(number))
        {
            writer.WriteNumberValue((long)number);
        }
        else
        {
            writer.WriteNumberValue(number);
        }
    }

    /// <summary>
    /// The JSON Pointer (RFC 6901) of the value being written or read, kept only while secrets are encrypted or
    /// decrypted: each secret is bound to its own path, so it cannot be moved to another property of the same resource.
    /// </summary>
    private sealed class SecretPath(SecretContext root)
    {
        private readonly StringBuilder _pointer = new();

        public SecretContext Context => root.At(_pointer.ToString());

        // Only a cipher encrypts or decrypts, so without one no path is kept and plain maps cost nothing extra.
        public static SecretPath? For(PropertyJsonMode mode, ISecretCipher? cipher, SecretContext context) =>
            mode == PropertyJsonMode.Encrypted && cipher is not null ? new SecretPath(context) : null;

        public int Enter(string key)
        {
            var mark = _pointer.Length;
            _pointer.Append('/');
            foreach (var c in key)
            {
                _ = c switch
                {
                    '~' => _pointer.Append("~0"),
                    '/' => _pointer.Append("~1"),
                    _ => _pointer.Append(c),
                };
            }

            return mark;
        }

        public int Enter(int index)
        {
            var mark = _pointer.Length;
            _pointer.Append('/').Append(index);
            return mark;
        }

        public void Leave(int? mark) => _pointer.Length = mark!.Value;
    }
}
