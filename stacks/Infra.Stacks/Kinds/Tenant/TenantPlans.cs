using System.Globalization;
using Infra.Providers.Infra;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// Reads the plans from <c>plans.yaml</c> beside the stack settings files (<c>environments/plans.yaml</c>). Every
/// problem is one line naming the file and the plan's key.
/// </summary>
internal static class TenantPlans
{
    public const string FileName = "plans.yaml";

    private static readonly HashSet<string> s_keys = new(StringComparer.Ordinal)
    {
        "description", "connectionLimit", "storageGi", "cpu", "memory", "backup", "protect",
    };

    /// <summary>The plans file of a project whose stack settings live in <paramref name="settingsDirectory"/>.</summary>
    public static string PathIn(string settingsDirectory) => Path.Combine(settingsDirectory, FileName);

    public static IReadOnlyDictionary<string, TenantPlan> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, null, "the tenant plans file is missing; tenant stacks read their plan (tenant:plan) from it.");
        }

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new ConfigException(path, null, "expected a mapping with 'plans'.");
        }
        catch (YamlException ex)
        {
            throw new ConfigException(path, null, $"invalid YAML at line {ex.Start.Line}: {ex.Message}");
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("plans"), out var plansNode) || plansNode is not YamlMappingNode plans || plans.Children.Count == 0)
        {
            throw new ConfigException(path, "plans", "expected a mapping of plan names to plans.");
        }

        var result = new Dictionary<string, TenantPlan>(StringComparer.Ordinal);
        foreach (var (nameNode, planNode) in plans.Children)
        {
            var name = ((YamlScalarNode)nameNode).Value ?? string.Empty;
            result[name] = Parse(path, name, planNode);
        }

        return result;
    }

    /// <summary>The plan named <paramref name="name"/>, or a one-line error listing the valid ones.</summary>
    public static TenantPlan Select(IReadOnlyDictionary<string, TenantPlan> plans, string name, string settingsPath, string plansPath) =>
        plans.TryGetValue(name, out var plan)
            ? plan
            : throw new ConfigException(settingsPath, "tenant:plan",
                $"'{name}' is not a plan; use one of {string.Join(", ", plans.Keys.Order(StringComparer.Ordinal))} (defined in {plansPath}).");

    private static TenantPlan Parse(string path, string name, YamlNode node)
    {
        var key = $"plans.{name}";
        if (node is not YamlMappingNode map)
        {
            throw new ConfigException(path, key, "expected a mapping.");
        }

        foreach (var child in map.Children.Keys.OfType<YamlScalarNode>())
        {
            if (!s_keys.Contains(child.Value ?? string.Empty))
            {
                throw new ConfigException(path, $"{key}.{child.Value}", $"unknown key; plans have {string.Join(", ", s_keys.Order(StringComparer.Ordinal))}.");
            }
        }

        var backup = map.Children.TryGetValue(new YamlScalarNode("backup"), out var b) && b is YamlMappingNode backupMap
            ? backupMap
            : throw new ConfigException(path, $"{key}.backup", "is required: { schedule: '<cron>', retentionDays: <days> }.");
        var schedule = Text(path, key + ".backup", backup, "schedule");
        if (!InfraProvider.IsCron(schedule))
        {
            throw new ConfigException(path, $"{key}.backup.schedule", $"'{schedule}' is not a five-field cron expression such as '0 3 * * *'.");
        }

        return new TenantPlan(
            name,
            map.Children.ContainsKey(new YamlScalarNode("description")) ? Text(path, key, map, "description") : name,
            Number(path, key, map, "connectionLimit", 1, 10_000),
            Number(path, key, map, "storageGi", 1, 100_000),
            Text(path, key, map, "cpu"),
            Text(path, key, map, "memory"),
            schedule,
            Number(path, key + ".backup", backup, "retentionDays", 1, 3650),
            map.Children.TryGetValue(new YamlScalarNode("protect"), out var p) && Flag(path, $"{key}.protect", p));
    }

    private static string Text(string path, string key, YamlMappingNode map, string name) =>
        map.Children.TryGetValue(new YamlScalarNode(name), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw new ConfigException(path, $"{key}.{name}", "is required and must be a non-empty text.");

    private static int Number(string path, string key, YamlMappingNode map, string name, int min, int max)
    {
        var text = Text(path, key, map, name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ConfigException(path, $"{key}.{name}", $"'{text}' is not a whole number from {min} to {max}.");
    }

    private static bool Flag(string path, string key, YamlNode node) =>
        node is YamlScalarNode { Value: { } value } && bool.TryParse(value, out var flag)
            ? flag
            : throw new ConfigException(path, key, "must be true or false.");
}
