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
/// ciphertext with the stack's cipher, each bound to its stack, resource and property path
/// (<see cref="SecretContext.State"/>); see <see cref="PropertyJson"/> for the markers.
/// </summary>
public static class StateJson
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes a resource of <paramref name="stack"/>.</summary>
    public static string Serialize(ResourceState resource, ISecretCipher? cipher, string stack) =>
        Write(writer => WriteResource(writer, resource, cipher, stack));

    /// <summary>Serializes a pending operation of <paramref name="stack"/>.</summary>
    public static string Serialize(PendingOperation operation, ISecretCipher? cipher, string stack) => Write(writer =>
    {
        ArgumentNullException.ThrowIfNull(operation);
        writer.WriteStartObject();
        writer.WriteString("id", operation.Id);
        writer.WriteString("kind", KindName(operation.Kind));
        writer.WriteNumber("updateId", operation.UpdateId);
        writer.WriteString("started", operation.Started.ToString("O", CultureInfo.InvariantCulture));
        writer.WritePropertyName("resource");
        WriteResource(writer, operation.Resource, cipher, stack);
        writer.WriteEndObject();
    });

    /// <summary>Serializes the outputs of <paramref name="stack"/>.</summary>
    public static string SerializeOutputs(PropertyMap outputs, ISecretCipher? cipher, string stack) =>
        PropertyJson.ToJson(outputs, PropertyJsonMode.Encrypted, cipher, SecretContext.State(stack, null, "outputs"));

    /// <summary>Parses a resource of <paramref name="stack"/>.</summary>
    public static ResourceState DeserializeResource(string json, ISecretCipher? cipher, string stack)
    {
        using var document = JsonDocument.Parse(json);
        return ReadResource(document.RootElement, cipher, stack);
    }

    /// <summary>Parses a pending operation of <paramref name="stack"/>.</summary>
    public static PendingOperation DeserializePending(string json, ISecretCipher? cipher, string stack)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new PendingOperation
        {
            Id = root.GetProperty("id").GetString()!,
            Kind = ParseKind(root.GetProperty("kind").GetString()!),
            UpdateId = root.TryGetProperty("updateId", out var u) ? u.GetInt64() : 0,
            Started = root.TryGetProperty("started", out var s) ? DateTimeOffset.Parse(s.GetString()!, CultureInfo.InvariantCulture) : default,
            Resource = ReadResource(root.GetProperty("resource"), cipher, stack),
        };
    }

    /// <summary>Parses the outputs of <paramref name="stack"/>.</summary>
    public static PropertyMap DeserializeOutputs(string json, ISecretCipher? cipher, string stack) =>
        string.IsNullOrEmpty(json) ? PropertyMap.Empty : PropertyJson.ParseMap(json, PropertyJsonMode.Encrypted, cipher, SecretContext.State(stack, null, "outputs"));

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

    internal static void WriteResource(Utf8JsonWriter writer, ResourceState resource, ISecretCipher? cipher, string stack)
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
        PropertyJson.WriteMap(writer, resource.Inputs, PropertyJsonMode.Encrypted, cipher, SecretContext.State(stack, resource.Urn, "inputs"));
        writer.WritePropertyName("outputs");
        PropertyJson.WriteMap(writer, resource.Outputs, PropertyJsonMode.Encrypted, cipher, SecretContext.State(stack, resource.Urn, "outputs"));
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

        if (resource.Artifact is { } artifact)
        {
            writer.WriteString("artifact", artifact);
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

    internal static ResourceState ReadResource(JsonElement root, ISecretCipher? cipher, string stack)
    {
        var urn = root.GetProperty("urn").GetString()!;
        var dependencies = ImmutableArray<string>.Empty;
        if (root.TryGetProperty("dependencies", out var deps))
        {
            dependencies = [.. deps.EnumerateArray().Select(static d => d.GetString()!)];
        }

        return new ResourceState
        {
            Urn = urn,
            Type = root.GetProperty("type").GetString()!,
            Custom = root.TryGetProperty("custom", out var c) && c.GetBoolean(),
            Id = root.TryGetProperty("id", out var id) ? id.GetString() : null,
            Parent = root.TryGetProperty("parent", out var p) ? p.GetString() : null,
            Inputs = ReadMap(root, "inputs", cipher, SecretContext.State(stack, urn, "inputs")),
            Outputs = ReadMap(root, "outputs", cipher, SecretContext.State(stack, urn, "outputs")),
            Dependencies = dependencies,
            Protect = root.TryGetProperty("protect", out var protect) && protect.GetBoolean(),
            RetainOnDelete = root.TryGetProperty("retainOnDelete", out var retain) && retain.GetBoolean(),
            PendingDelete = root.TryGetProperty("pendingDelete", out var pending) && pending.GetBoolean(),
            Artifact = root.TryGetProperty("artifact", out var artifact) ? artifact.GetString() : null,
            Created = root.TryGetProperty("created", out var cr) ? DateTimeOffset.Parse(cr.GetString()!, CultureInfo.InvariantCulture) : null,
            Modified = root.TryGetProperty("modified", out var mo) ? DateTimeOffset.Parse(mo.GetString()!, CultureInfo.InvariantCulture) : null,
        };
    }

    private static PropertyMap ReadMap(JsonElement root, string name, ISecretCipher? cipher, SecretContext context)
    {
        if (!root.TryGetProperty(name, out var element))
        {
            return PropertyMap.Empty;
        }

        var value = PropertyJson.Read(element, PropertyJsonMode.Encrypted, cipher, context);
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
