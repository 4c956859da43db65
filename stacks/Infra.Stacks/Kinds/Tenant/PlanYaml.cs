using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// Reads one mapping of <c>plans.yaml</c>; every problem is a <see cref="ConfigException"/> naming the file and the
/// dotted key (<c>plans.free.quota.requests.cpu</c>).
/// </summary>
internal sealed class PlanYaml(string path, string key, YamlMappingNode map)
{
    public string Path { get; } = path;

    public string Key { get; } = key;

    public ConfigException Error(string name, string message) => new(Path, name.Length == 0 ? Key : $"{Key}.{name}", message);

    public void AllowOnly(params string[] names)
    {
        foreach (var child in map.Children.Keys.OfType<YamlScalarNode>())
        {
            if (!names.Contains(child.Value ?? string.Empty, StringComparer.Ordinal))
            {
                throw Error(child.Value ?? string.Empty, $"unknown key; use {string.Join(", ", names.Order(StringComparer.Ordinal))}.");
            }
        }
    }

    public bool Has(string name) => map.Children.ContainsKey(new YamlScalarNode(name));

    public string Text(string name) =>
        map.Children.TryGetValue(new YamlScalarNode(name), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw Error(name, "is required and must be a non-empty text.");

    public int Number(string name, int min, int max)
    {
        var text = Text(name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Error(name, $"{ErrorText.Quote(text)} is not a whole number from {min} to {max}.");
    }

    public bool Flag(string name) =>
        !Has(name) ? false : bool.TryParse(Text(name), out var flag) ? flag : throw Error(name, "must be true or false.");

    public PlanYaml Map(string name) =>
        map.Children.TryGetValue(new YamlScalarNode(name), out var node) && node is YamlMappingNode child
            ? new PlanYaml(Path, $"{Key}.{name}", child)
            : throw Error(name, "is required and must be a mapping.");

    /// <summary>A Kubernetes quantity such as <c>250m</c> or <c>1Gi</c>.</summary>
    public string Quantity(string name)
    {
        var text = Text(name);
        return Tenant.Quantity.TryParse(text) is > 0
            ? text
            : throw Error(name, $"{ErrorText.Quote(text)} is not a positive Kubernetes quantity such as 250m, 2, 512Mi or 1Gi.");
    }

    /// <summary>A mapping <c>{ cpu: ..., memory: ... }</c>.</summary>
    public ComputeResources Resources(string name)
    {
        var resources = Map(name);
        resources.AllowOnly("cpu", "memory");
        return new ComputeResources(resources.Quantity("cpu"), resources.Quantity("memory"));
    }

    /// <summary>Every child as (name, scalar text); values must be scalars.</summary>
    public IEnumerable<(string Name, string Value)> Scalars()
    {
        foreach (var (name, value) in map.Children)
        {
            var text = ((YamlScalarNode)name).Value ?? string.Empty;
            yield return value is YamlScalarNode { Value: { } scalar } ? (text, scalar) : throw Error(text, "must be a single value.");
        }
    }
}
