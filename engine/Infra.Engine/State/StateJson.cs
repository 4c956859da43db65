using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Infra.Values;

namespace Infra.State;

/// <summary>
/// The JSON form of resources and pending operations in state and in exports. Secret values are written as
/// ciphertext with the stack's cipher; see <see cref="PropertyJson"/> for the markers.
/// </summary>
public static class StateJson
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes a resource.</summary>
    public static string Serialize(ResourceState resource, ISecretCipher? cipher) =>
        Write(writer => WriteResource(writer, resource, cipher));

    /// <summary>Serializes a pending operation.</summary>
    public static string Serialize(PendingOperation operation, ISecretCipher? cipher) => Write(writer =>
    {
        ArgumentNullException.ThrowIfNull(operation);
        writer.WriteStartObject();
        writer.WriteString("id", operation.Id);
        writer.WriteString("kind", KindName(operation.Kind));
        writer.WriteNumber("updateId", operation.UpdateId);
        writer.WriteString("started", operation.Started.ToString("O", CultureInfo.InvariantCulture));
        writer.WritePropertyName("resource");
        WriteResource(writer, operation.Resource, cipher);
        writer.WriteEndObject();
    });

    /// <summary>Serializes a property map (e.g. stack outputs).</summary>
    public static string Serialize(PropertyMap map, ISecretCipher? cipher) => PropertyJson.ToJson(map, PropertyJsonMode.Encrypted, cipher);

    /// <summary>Parses a resource.</summary>
    public static ResourceState DeserializeResource(string json, ISecretCipher? cipher)
    {
        using var document = JsonDocument.Parse(json);
        return ReadResource(document.RootElement, cipher);
    }

    /// <summary>Parses a pending operation.</summary>
    public static PendingOperation DeserializePending(string json, ISecretCipher? cipher)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new PendingOperation
        {
            Id = root.GetProperty("id").GetString()!,
            Kind = ParseKind(root.GetProperty("kind").GetString()!),
            UpdateId = root.TryGetProperty("updateId", out var u) ? u.GetInt64() : 0,
            Started = root.TryGetProperty("started", out var s) ? DateTimeOffset.Parse(s.GetString()!, CultureInfo.InvariantCulture) : default,
            Resource = ReadResource(root.GetProperty("resource"), cipher),
        };
    }

    /// <summary>Parses a property map.</summary>
    public static PropertyMap DeserializeMap(string json, ISecretCipher? cipher) =>
        string.IsNullOrEmpty(json) ? PropertyMap.Empty : PropertyJson.ParseMap(json, PropertyJsonMode.Encrypted, cipher);

    /// <summary>The lower-case name of an operation kind, as written in JSON.</summary>
    public static string KindName(OperationKind kind) => kind switch
    {
        OperationKind.Create => "create",
        OperationKind.Update => "update",
        OperationKind.Delete => "delete",
        OperationKind.CreateReplacement => "create-replacement",
        OperationKind.Import => "import",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static OperationKind ParseKind(string text) => text switch
    {
        "create" => OperationKind.Create,
        "update" => OperationKind.Update,
        "delete" => OperationKind.Delete,
        "create-replacement" => OperationKind.CreateReplacement,
        "import" => OperationKind.Import,
        _ => throw new JsonException($"Unknown pending operation kind '{text}'."),
    };

    internal static void WriteResource(Utf8JsonWriter writer, ResourceState resource, ISecretCipher? cipher)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!resource.Inputs.IsFullyKnown || !resource.Outputs.IsFullyKnown)
        {
            throw new InvalidOperationException($"{resource.Urn}: unknown values cannot be stored in state; they must be resolved first.");
        }

        writer.WriteStartObject();
        writer.WriteString("urn", resource.Urn);
        writer.WriteString("type", resource.Type);
        writer.WriteBoolean("custom", resource.Custom);
        if (resource.Id is not null)
        {
            writer.WriteString("id", resource.Id);
        }

        if (resource.Parent is not null)
        {
            writer.WriteString("parent", resource.Parent);
        }

        writer.WritePropertyName("inputs");
        PropertyJson.WriteMap(writer, resource.Inputs, PropertyJsonMode.Encrypted, cipher);
        writer.WritePropertyName("outputs");
        PropertyJson.WriteMap(writer, resource.Outputs, PropertyJsonMode.Encrypted, cipher);
        if (!resource.Dependencies.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("dependencies");
            foreach (var dependency in resource.Dependencies)
            {
                writer.WriteStringValue(dependency);
            }

            writer.WriteEndArray();
        }

        if (resource.Protect)
        {
            writer.WriteBoolean("protect", true);
        }

        if (resource.RetainOnDelete)
        {
            writer.WriteBoolean("retainOnDelete", true);
        }

        if (resource.PendingDelete)
        {
            writer.WriteBoolean("pendingDelete", true);
        }

        if (resource.Created is { } created)
        {
            writer.WriteString("created", created.ToString("O", CultureInfo.InvariantCulture));
        }

        if (resource.Modified is { } modified)
        {
            writer.WriteString("modified", modified.ToString("O", CultureInfo.InvariantCulture));
        }

        writer.WriteEndObject();
    }

    internal static ResourceState ReadResource(JsonElement root, ISecretCipher? cipher)
    {
        var dependencies = ImmutableArray<string>.Empty;
        if (root.TryGetProperty("dependencies", out var deps))
        {
            dependencies = [.. deps.EnumerateArray().Select(static d => d.GetString()!)];
        }

        return new ResourceState
        {
            Urn = root.GetProperty("urn").GetString()!,
            Type = root.GetProperty("type").GetString()!,
            Custom = root.TryGetProperty("custom", out var c) && c.GetBoolean(),
            Id = root.TryGetProperty("id", out var id) ? id.GetString() : null,
            Parent = root.TryGetProperty("parent", out var p) ? p.GetString() : null,
            Inputs = ReadMap(root, "inputs", cipher),
            Outputs = ReadMap(root, "outputs", cipher),
            Dependencies = dependencies,
            Protect = root.TryGetProperty("protect", out var protect) && protect.GetBoolean(),
            RetainOnDelete = root.TryGetProperty("retainOnDelete", out var retain) && retain.GetBoolean(),
            PendingDelete = root.TryGetProperty("pendingDelete", out var pending) && pending.GetBoolean(),
            Created = root.TryGetProperty("created", out var cr) ? DateTimeOffset.Parse(cr.GetString()!, CultureInfo.InvariantCulture) : null,
            Modified = root.TryGetProperty("modified", out var mo) ? DateTimeOffset.Parse(mo.GetString()!, CultureInfo.InvariantCulture) : null,
        };
    }

    private static PropertyMap ReadMap(JsonElement root, string name, ISecretCipher? cipher)
    {
        if (!root.TryGetProperty(name, out var element))
        {
            return PropertyMap.Empty;
        }

        var value = PropertyJson.Read(element, PropertyJsonMode.Encrypted, cipher);
        return value.Kind == PropertyValueKind.Object ? value.AsObject : PropertyMap.Empty;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
