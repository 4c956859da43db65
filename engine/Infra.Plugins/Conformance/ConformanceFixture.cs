using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Values;

namespace Infra.Plugins.Conformance;

/// <summary>
/// What a plugin gives the suite to work with: <c>conformance.json</c> beside <c>plugin.json</c>. Strings may hold
/// <c>${tmp}</c>, a fresh folder per run, and in <c>many</c> <c>${i}</c>, the index of the copy. <c>files</c> are
/// written into <c>${tmp}</c> first. Property bags use the wire's markers (<c>{"$secret": X}</c>).
/// </summary>
public sealed class ConformanceFixture
{
    /// <summary>The fixture's file name.</summary>
    public const string FileName = "conformance.json";

    private ConformanceFixture(JsonObject root, string temporary)
    {
        Root = root;
        TemporaryDirectory = temporary;
    }

    /// <summary>The folder <c>${tmp}</c> stands for.</summary>
    public string TemporaryDirectory { get; }

    private JsonObject Root { get; }

    /// <summary>Provider: the config namespace sent in <c>configure</c>.</summary>
    public PropertyMap Config => Map(Root["config"]);

    /// <summary>Provider: one entry per resource type to exercise.</summary>
    public ImmutableArray<ResourceFixture> Resources =>
        [.. (Root["resources"] as JsonArray ?? []).OfType<JsonObject>().Select(o => new ResourceFixture(o, this))];

    /// <summary>Policy pack: the pack's settings.</summary>
    public PropertyMap PackConfig => Map(Root["packConfig"]);

    /// <summary>Policy pack: per policy, resources that pass and resources that fail.</summary>
    public ImmutableArray<PolicyFixture> Policies =>
        [.. (Root["policies"] as JsonArray ?? []).OfType<JsonObject>().Select(o => new PolicyFixture(o, this))];

    /// <summary>Reads the fixture of the plugin in <paramref name="directory"/>, writing its files into a fresh folder.</summary>
    /// <exception cref="ConfigException">The fixture is missing or not a JSON object.</exception>
    public static ConformanceFixture Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new ConfigException(path, null, "not found; the conformance suite needs sample inputs for each resource type or policy (see docs/plugins/protocol.md).");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ConfigException(path, null, "expected a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new ConfigException(path, null, ex.Message, ex);
        }

        var temporary = Directory.CreateTempSubdirectory("infra-conformance-").FullName;
        var fixture = new ConformanceFixture(root, temporary);
        foreach (var (name, content) in root["files"] as JsonObject ?? [])
        {
            File.WriteAllText(Path.Combine(temporary, name), content?.GetValue<string>() ?? string.Empty);
        }

        return fixture;
    }

    /// <summary>A property bag from a fixture node, placeholders replaced.</summary>
    internal PropertyMap Map(JsonNode? node, int? index = null)
    {
        if (node is null)
        {
            return PropertyMap.Empty;
        }

        var text = node.ToJsonString().Replace("${tmp}", TemporaryDirectory.Replace("\\", "\\\\", StringComparison.Ordinal), StringComparison.Ordinal);
        if (index is { } i)
        {
            text = text.Replace("${i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return PropertyJson.ParseMap(text, PropertyJsonMode.Plaintext);
    }
}

/// <summary>Sample inputs for one resource type.</summary>
public sealed class ResourceFixture
{
    private readonly JsonObject _node;
    private readonly ConformanceFixture _fixture;

    internal ResourceFixture(JsonObject node, ConformanceFixture fixture)
    {
        _node = node;
        _fixture = fixture;
    }

    /// <summary>The type token.</summary>
    public string Type => _node["type"]?.GetValue<string>() ?? throw new ConfigException(ConformanceFixture.FileName, "resources[].type", "each resource names its type.");

    /// <summary>Valid inputs to create.</summary>
    public PropertyMap Inputs => _fixture.Map(_node["inputs"]);

    /// <summary>Valid inputs to update to (an in-place change of the same object).</summary>
    public PropertyMap? Update => _node["update"] is { } n ? _fixture.Map(n) : null;

    /// <summary>Inputs for the same object with other values, which create must refuse with a conflict.</summary>
    public PropertyMap? Conflicting => _node["conflicting"] is { } n ? _fixture.Map(n) : null;

    /// <summary>Inputs that check must refuse.</summary>
    public PropertyMap? Invalid => _node["invalid"] is { } n ? _fixture.Map(n) : null;

    /// <summary>A top-level input a preview replaces with an unknown.</summary>
    public string? Unknown => _node["unknown"]?.GetValue<string>();

    /// <summary>Inputs of copy <paramref name="index"/> for the concurrency check (a template with <c>${i}</c>).</summary>
    public PropertyMap? Many(int index) => _node["many"] is { } n ? _fixture.Map(n, index) : null;
}

/// <summary>Resources that one policy must pass and must fail.</summary>
public sealed class PolicyFixture
{
    private readonly JsonObject _node;
    private readonly ConformanceFixture _fixture;

    internal PolicyFixture(JsonObject node, ConformanceFixture fixture)
    {
        _node = node;
        _fixture = fixture;
    }

    /// <summary>The policy's name.</summary>
    public string Policy => _node["policy"]?.GetValue<string>() ?? throw new ConfigException(ConformanceFixture.FileName, "policies[].policy", "each entry names its policy.");

    /// <summary>The policy's settings.</summary>
    public PropertyMap Config => _fixture.Map(_node["config"]);

    /// <summary>Resources (or, for a stack policy, stacks: lists of resources) that comply.</summary>
    public ImmutableArray<JsonNode> Pass => [.. (_node["pass"] as JsonArray ?? []).OfType<JsonNode>()];

    /// <summary>Resources (or stacks) that violate the policy.</summary>
    public ImmutableArray<JsonNode> Fail => [.. (_node["fail"] as JsonArray ?? []).OfType<JsonNode>()];

    /// <summary>A resource from a fixture entry: <c>{"type": ..., "name": ..., "inputs": {...}}</c>.</summary>
    internal Policy.PolicyResource Resource(JsonNode node) => new()
    {
        Urn = $"urn:pulumi:conformance::conformance::{node["type"]?.GetValue<string>()}::{node["name"]?.GetValue<string>() ?? "r"}",
        Type = node["type"]?.GetValue<string>() ?? "conformance:index:Resource",
        Inputs = _fixture.Map(node["inputs"]),
    };
}
