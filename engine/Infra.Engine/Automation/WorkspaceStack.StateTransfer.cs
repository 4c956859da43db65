using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Infra.Deployment;
using Infra.State;
using Infra.Values;

namespace Infra.Automation;

public sealed partial class WorkspaceStack
{
    /// <summary>The current state-document format version (see docs/state-format.md).</summary>
    public const int StateFormatVersion = 1;

    /// <summary>Serializes a plan to save and apply later: secrets encrypted with this stack's key.</summary>
    public string SerializePlan(SavedPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var settings = Workspace.LoadSettings(Name);
        var needsKey = plan.Steps.Any(static s => (s.NewInputs?.ContainsSecrets ?? false) || (s.OldInputs?.ContainsSecrets ?? false) ||
                                                  (s.NewOutputs?.ContainsSecrets ?? false)) || plan.Outputs.ContainsSecrets;
        return PlanJson.Serialize(plan, PropertyJsonMode.Encrypted, needsKey ? CipherFactory(settings)() : null);
    }

    /// <summary>Parses a plan written by <see cref="SerializePlan"/>, decrypting its secrets with this stack's key.</summary>
    /// <exception cref="InfraException">The file is not a plan.</exception>
    public SavedPlan DeserializePlan(string json, string source)
    {
        var settings = Workspace.LoadSettings(Name);
        var needsKey = json.Contains(PropertyJson.SecretKey, StringComparison.Ordinal);
        return PlanJson.Deserialize(json, needsKey ? CipherFactory(settings)() : null, source);
    }

    /// <summary>
    /// Exports the stack's state as a versioned JSON document: resources, outputs and pending operations, with
    /// secrets still encrypted and the secrets provider's settings needed to read them.
    /// </summary>
    public async Task<string> ExportStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await Workspace.Backend.LoadAsync(Name, cancellationToken).ConfigureAwait(false);
        var settings = Workspace.LoadSettings(Name);
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", StateFormatVersion);
            writer.WriteString("stack", Name);
            writer.WriteString("project", Workspace.Project.Name);
            writer.WriteNumber("serial", stored.Serial);
            writer.WriteString("exported", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteStartObject("secretsProvider");
            writer.WriteString("type", settings.SecretsProvider ?? "passphrase");
            if (settings.EncryptionSalt is null)
            {
                writer.WriteNull("state");
            }
            else
            {
                writer.WriteString("state", settings.EncryptionSalt);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("outputs");
            WriteRaw(writer, stored.OutputsJson);
            writer.WriteStartArray("resources");
            foreach (var resource in stored.Resources)
            {
                WriteRaw(writer, resource);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("pendingOperations");
            foreach (var pending in stored.Pending)
            {
                WriteRaw(writer, pending);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>
    /// Replaces the stack's state with an exported document, under the stack's lock. Secrets encrypted with another
    /// stack's key are re-encrypted with this one's (the passphrase must open both).
    /// </summary>
    /// <exception cref="InfraException">The document is malformed, of an unknown version, or its secrets cannot be read.</exception>
    public async Task ImportStateAsync(string json, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        var settings = Workspace.LoadSettings(Name);
        StackSnapshot snapshot;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var version = root.GetProperty("version").GetInt32();
            if (version != StateFormatVersion)
            {
                throw new InfraException($"{source}: state document version {version} is not supported (expected {StateFormatVersion}).");
            }

            var sourceCipher = SourceCipher(root, settings, source);
            // Secrets are bound to the stack they were exported from; the store below re-encrypts them for this one.
            var sourceStack = root.TryGetProperty("stack", out var stackName) ? stackName.GetString()! : Name;
            snapshot = new StackSnapshot
            {
                Stack = Name,
                Outputs = StateJson.DeserializeOutputs(root.GetProperty("outputs").GetRawText(), sourceCipher, sourceStack),
                Resources = [.. root.GetProperty("resources").EnumerateArray().Select(e => StateJson.DeserializeResource(e.GetRawText(), sourceCipher, sourceStack))],
                Pending = root.TryGetProperty("pendingOperations", out var pending)
                    ? [.. pending.EnumerateArray().Select(e => StateJson.DeserializePending(e.GetRawText(), sourceCipher, sourceStack))]
                    : [],
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InfraException($"{source}: not a valid state document ({ex.Message.Split('.')[0]}).", ex);
        }

        var urns = snapshot.Resources.GroupBy(static r => (r.Urn, r.PendingDelete)).FirstOrDefault(static g => g.Count() > 1);
        if (urns is not null)
        {
            throw new InfraException($"{source}: resource '{urns.Key.Urn}' appears twice.");
        }

        await using var stackLock = await LockAsync("import", cancellationToken).ConfigureAwait(false);
        var store = new StackStateStore(Workspace.Backend, Name, CipherFactory(settings));
        var mutations = ImmutableArray.CreateBuilder<StoredMutation>();
        mutations.Add(new StoredMutation.Clear());
        mutations.AddRange(snapshot.Resources.Select(store.Upsert));
        mutations.AddRange(snapshot.Pending.Select(store.Begin));
        mutations.Add(store.SetOutputs(snapshot.Outputs));
        await Workspace.Backend.WriteAsync(Name, stackLock.Info.LockId, mutations.ToImmutable(), cancellationToken).ConfigureAwait(false);
    }

    private ISecretCipher? SourceCipher(JsonElement root, Configuration.StackSettingsFile settings, string source)
    {
        if (!root.TryGetProperty("secretsProvider", out var provider) || provider.GetProperty("state").ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var state = provider.GetProperty("state").GetString()!;
        return state == settings.EncryptionSalt
            ? CipherFactory(settings)()
            : Workspace.SecretsProviderFor(settings with { SecretsProvider = provider.GetProperty("type").GetString() }).Open(state, source);
    }

    private static void WriteRaw(Utf8JsonWriter writer, string json)
    {
        using var document = JsonDocument.Parse(json);
        document.RootElement.WriteTo(writer);
    }
}
