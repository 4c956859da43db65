using System.Collections.Immutable;
using System.Text.Json;
using Infra.TestSupport;
using Json.Schema;

namespace Infra.Plugins.Tests;

/// <summary>The JSON Schemas of docs/plugins/schema/, loaded once, and the check of one message against them.</summary>
internal sealed class ProtocolSchemas
{
    private readonly ImmutableDictionary<string, JsonSchema> _schemas;

    private ProtocolSchemas(ImmutableDictionary<string, JsonSchema> schemas) => _schemas = schemas;

    public static ProtocolSchemas Instance { get; } = Load();

    public static string Folder => Path.Combine(RepositoryPaths.Root, "docs", "plugins", "schema");

    public IEnumerable<string> Names => _schemas.Keys;

    /// <summary>The problems of <paramref name="message"/> against the schema <paramref name="name"/>; empty when it is valid.</summary>
    public ImmutableArray<string> Problems(string name, JsonElement message)
    {
        var schema = _schemas.GetValueOrDefault(name) ?? throw new InvalidOperationException($"no schema {name} in {Folder}");
        var result = schema.Evaluate(message, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(static d => d.Errors is { Count: > 0 }).SelectMany(static d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).DefaultIfEmpty("invalid")];
    }

    private static ProtocolSchemas Load()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        // Referenced documents first, so every $ref resolves when a schema is built.
        var files = Directory.GetFiles(Folder, "*.json").OrderBy(static f => Path.GetFileName(f) switch { "defs.json" => 0, "error.json" => 1, var name when name.StartsWith("batch.", StringComparison.Ordinal) => 3, _ => 2 }).ThenBy(static f => f, StringComparer.Ordinal);
        var schemas = ImmutableDictionary.CreateBuilder<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            schemas[Path.GetFileName(file)] = JsonSchema.FromFile(file, options);
        }

        return new ProtocolSchemas(schemas.ToImmutable());
    }
}
