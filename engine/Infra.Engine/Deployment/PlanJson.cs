using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Infra.Policy;
using Infra.Values;

namespace Infra.Deployment;

/// <summary>
/// The versioned JSON form of a plan, in the spirit of Terraform's <c>show -json</c>: each resource with its URN,
/// actions, the URNs it depends on, before and after inputs, and the paths unknown until apply. Printed plans mask secrets as
/// <c>{"$secret":"[secret]"}</c>; saved plans carry them encrypted with the stack's key. See docs/json-format.md.
/// </summary>
public static class PlanJson
{
    private static readonly JsonWriterOptions s_indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Terraform-style action lists for a step: <c>["create"]</c>, <c>["create","delete"]</c> for a replacement…</summary>
    public static ImmutableArray<string> Actions(PlannedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Op switch
        {
            StepOp.Same => ["no-op"],
            StepOp.Replace => step.DeleteBeforeReplace ? ["delete", "create"] : ["create", "delete"],
            StepOp.Refresh => ["read"],
            _ => [StepOps.Name(step.Op)],
        };
    }

    /// <summary>Serializes a plan. <paramref name="cipher"/> is required for <see cref="PropertyJsonMode.Encrypted"/>.</summary>
    public static string Serialize(SavedPlan plan, PropertyJsonMode mode, ISecretCipher? cipher = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (mode == PropertyJsonMode.Plaintext)
        {
            throw new ArgumentException("Plans are never written with plaintext secrets.", nameof(mode));
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, s_indented))
        {
            writer.WriteStartObject();
            writer.WriteNumber("formatVersion", SavedPlan.CurrentFormatVersion);
            writer.WriteString("stack", plan.Stack);
            writer.WriteString("project", plan.Project);
            writer.WriteNumber("baseSerial", plan.BaseSerial);
            writer.WriteString("created", plan.Created.ToString("O", CultureInfo.InvariantCulture));
            writer.WritePropertyName("summary");
            WriteSummary(writer, plan.Summary);
            writer.WriteStartArray("resourceChanges");
            foreach (var step in plan.Steps)
            {
                WriteStep(writer, step, mode, cipher, plan.Stack);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("outputs");
            PropertyJson.WriteMap(writer, plan.Outputs, mode, cipher, SecretContext.SavedPlan(plan.Stack, null, "outputs"));
            writer.WriteStartArray("policyViolations");
            foreach (var violation in plan.PolicyViolations)
            {
                WriteViolation(writer, violation);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>Parses a plan written by <see cref="Serialize"/>; without a cipher, secrets stay masked.</summary>
    /// <exception cref="InfraException">The text is not a plan of a known format version.</exception>
    public static SavedPlan Deserialize(string json, ISecretCipher? cipher, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var version = root.GetProperty("formatVersion").GetInt32();
            if (version is < SavedPlan.OldestFormatVersion or > SavedPlan.CurrentFormatVersion)
            {
                throw new InfraException(
                    $"{source}: plan format version {version} is not supported (expected {SavedPlan.OldestFormatVersion} to {SavedPlan.CurrentFormatVersion}).");
            }

            // Secrets are bound to the stack the plan names; applying it to any other stack is refused before they are used.
            var stack = root.GetProperty("stack").GetString()!;
            return new SavedPlan
            {
                FormatVersion = version,
                Stack = stack,
                Project = root.GetProperty("project").GetString()!,
                BaseSerial = root.GetProperty("baseSerial").GetInt64(),
                Created = DateTimeOffset.Parse(root.GetProperty("created").GetString()!, CultureInfo.InvariantCulture),
                Steps = [.. root.GetProperty("resourceChanges").EnumerateArray().Select(e => ReadStep(e, cipher, stack))],
                Outputs = ReadMap(root, "outputs", cipher, SecretContext.SavedPlan(stack, null, "outputs")) ?? PropertyMap.Empty,
                PolicyViolations = root.TryGetProperty("policyViolations", out var violations)
                    ? [.. violations.EnumerateArray().Select(ReadViolation)]
                    : [],
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InfraException($"{source}: not a valid plan file ({ex.Message.Split('.')[0]}).", ex);
        }
    }

    internal static void WriteSummary(Utf8JsonWriter writer, ChangeSummary summary)
    {
        writer.WriteStartObject();
        foreach (var (op, count) in summary.Counts)
        {
            writer.WriteNumber(StepOps.Name(op), count);
        }

        writer.WriteEndObject();
    }

    internal static void WriteStep(Utf8JsonWriter writer, PlannedStep step, PropertyJsonMode mode, ISecretCipher? cipher, string stack)
    {
        writer.WriteStartObject();
        writer.WriteString("urn", step.Urn);
        writer.WriteString("type", step.Type);
        writer.WriteString("name", Urn.NameOf(step.Urn));
        writer.WriteString("op", StepOps.Name(step.Op));
        writer.WriteStartArray("actions");
        foreach (var action in Actions(step))
        {
            writer.WriteStringValue(action);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("custom", step.Custom);
        if (step.Protect)
        {
            writer.WriteBoolean("protect", true);
        }

        WriteOptionalString(writer, "parent", step.Parent);
        WriteStrings(writer, "dependencies", step.Dependencies);
        WriteOptionalString(writer, "reason", step.Reason);
        WriteOptionalString(writer, "renamedFrom", step.RenamedFrom);
        if (step.DeleteBeforeReplace)
        {
            writer.WriteBoolean("deleteBeforeReplace", true);
        }

        WriteOptionalMap(writer, "before", step.OldInputs, mode, cipher, SecretContext.SavedPlan(stack, step.Urn, "before"));
        WriteOptionalMap(writer, "after", step.NewInputs, mode, cipher, SecretContext.SavedPlan(stack, step.Urn, "after"));
        WriteOptionalMap(writer, "outputs", step.NewOutputs, mode, cipher, SecretContext.SavedPlan(stack, step.Urn, "outputs"));
        WriteStrings(writer, "afterUnknown", step.UnknownPaths);
        WriteStrings(writer, "changed", step.Changed);
        WriteStrings(writer, "replaces", step.Replaces);
        writer.WriteEndObject();
    }

    /// <summary>Writes one policy violation: policy, pack, pack version, level, URN and message.</summary>
    public static void WriteViolation(Utf8JsonWriter writer, PolicyViolation violation)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(violation);
        writer.WriteStartObject();
        writer.WriteString("policy", violation.Policy);
        writer.WriteString("pack", violation.Pack);
        writer.WriteString("packVersion", violation.PackVersion);
        writer.WriteString("level", violation.Level.ToString().ToLowerInvariant());
        if (violation.Urn is null)
        {
            writer.WriteNull("urn");
        }
        else
        {
            writer.WriteString("urn", violation.Urn);
        }

        writer.WriteString("message", violation.Message);
        if (violation.IsPolicyError)
        {
            writer.WriteBoolean("policyError", true);
        }

        writer.WriteEndObject();
    }

    private static PlannedStep ReadStep(JsonElement element, ISecretCipher? cipher, string stack)
    {
        var urn = element.GetProperty("urn").GetString()!;
        return new()
        {
            Urn = urn,
            Type = element.GetProperty("type").GetString()!,
            Op = StepOps.Parse(element.GetProperty("op").GetString()!),
            Custom = !element.TryGetProperty("custom", out var custom) || custom.GetBoolean(),
            Protect = element.TryGetProperty("protect", out var protect) && protect.GetBoolean(),
            Parent = OptionalString(element, "parent"),
            Dependencies = ReadStrings(element, "dependencies"),
            Reason = OptionalString(element, "reason"),
            RenamedFrom = OptionalString(element, "renamedFrom"),
            DeleteBeforeReplace = element.TryGetProperty("deleteBeforeReplace", out var dbr) && dbr.GetBoolean(),
            OldInputs = ReadMap(element, "before", cipher, SecretContext.SavedPlan(stack, urn, "before")),
            NewInputs = ReadMap(element, "after", cipher, SecretContext.SavedPlan(stack, urn, "after")),
            NewOutputs = ReadMap(element, "outputs", cipher, SecretContext.SavedPlan(stack, urn, "outputs")),
            UnknownPaths = ReadStrings(element, "afterUnknown"),
            Changed = ReadStrings(element, "changed"),
            Replaces = ReadStrings(element, "replaces"),
        };
    }

    private static PolicyViolation ReadViolation(JsonElement element) => new()
    {
        Policy = element.GetProperty("policy").GetString()!,
        Pack = element.GetProperty("pack").GetString()!,
        PackVersion = element.GetProperty("packVersion").GetString()!,
        Level = Enum.Parse<EnforcementLevel>(element.GetProperty("level").GetString()!, ignoreCase: true),
        Urn = OptionalString(element, "urn"),
        Message = element.GetProperty("message").GetString()!,
        IsPolicyError = element.TryGetProperty("policyError", out var error) && error.GetBoolean(),
    };

    private static PropertyMap? ReadMap(JsonElement element, string name, ISecretCipher? cipher, SecretContext context)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // Saved plans carry ciphertext; without the stack's key the values stay sealed as masked secrets.
        var mode = cipher is null ? PropertyJsonMode.Masked : PropertyJsonMode.Encrypted;
        var parsed = PropertyJson.Read(value, mode, cipher, context);
        return parsed.Kind == PropertyValueKind.Object ? parsed.AsObject : PropertyMap.Empty;
    }

    private static ImmutableArray<string> ReadStrings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? [.. value.EnumerateArray().Select(static v => v.GetString()!)] : [];

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void WriteOptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteOptionalMap(Utf8JsonWriter writer, string name, PropertyMap? map, PropertyJsonMode mode, ISecretCipher? cipher, SecretContext context)
    {
        writer.WritePropertyName(name);
        if (map is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            PropertyJson.WriteMap(writer, map, mode, cipher, context);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, ImmutableArray<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values.IsDefault ? [] : values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
