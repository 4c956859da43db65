using System.Collections.Frozen;
using Infra.Configuration;
using YamlDotNet.RepresentationModel;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>One pinned chart of <c>environments/platform-charts.yaml</c>.</summary>
/// <param name="Release">The release name, which is the chart's own name (<c>kube-prometheus-stack</c>).</param>
/// <param name="Repository">The chart repository.</param>
/// <param name="Chart">The chart's name in the repository.</param>
/// <param name="Version">The exact chart version.</param>
/// <param name="Namespace">The namespace the release installs into.</param>
/// <param name="AppVersion">The application version the platform's own objects pin (Elasticsearch, the collector), if any.</param>
internal sealed record ChartPin(string Release, string Repository, string Chart, string Version, string Namespace, string? AppVersion);

/// <summary>
/// Reads <c>environments/platform-charts.yaml</c>, the one file that pins the shared layer's charts. Every release the
/// platform stack declares must be there, and nothing else may be: a typo is one line naming the file and key.
/// </summary>
internal static class PlatformCharts
{
    /// <summary>The file's name, beside the stack settings files.</summary>
    public const string FileName = "platform-charts.yaml";

    /// <summary>The releases of the shared layer, by the names the charts give themselves.</summary>
    public static readonly FrozenSet<string> Releases = new[]
    {
        "ingress-nginx", "cert-manager", "sealed-secrets", "kube-prometheus-stack", "prometheus-postgres-exporter", "eck-operator",
        "fluent-bit", "opentelemetry-operator", "tempo", "argo-rollouts",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] s_fields = ["repository", "chart", "version", "namespace", "appVersion"];

    /// <summary>Loads and checks the pins.</summary>
    /// <exception cref="ConfigException">The file is missing, or a release is unknown, missing or incomplete.</exception>
    public static IReadOnlyDictionary<string, ChartPin> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, null, "the platform's chart pins are missing; the platform stack installs the shared layer from them.");
        }

        var root = SafeYaml.LoadFile(path).Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
        if (root?.Children.TryGetValue(new YamlScalarNode("releases"), out var node) != true || node is not YamlMappingNode releases)
        {
            throw new ConfigException(path, "releases", "expected a mapping of release names to their chart pins.");
        }

        var pins = new Dictionary<string, ChartPin>(StringComparer.Ordinal);
        foreach (var (nameNode, pinNode) in releases.Children)
        {
            var name = (nameNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!Releases.Contains(name))
            {
                throw new ConfigException(path, $"releases.{name}", $"is not a release of the platform stack; use {string.Join(", ", Releases.Order(StringComparer.Ordinal))}.");
            }

            pins[name] = Pin(path, name, pinNode as YamlMappingNode ?? throw new ConfigException(path, $"releases.{name}", "expected a mapping."));
        }

        foreach (var missing in Releases.Where(r => !pins.ContainsKey(r)).Order(StringComparer.Ordinal))
        {
            throw new ConfigException(path, $"releases.{missing}", "is missing: every release of the platform stack is pinned here.");
        }

        return pins;
    }

    private static ChartPin Pin(string path, string release, YamlMappingNode map)
    {
        string? Field(string field)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(field), out var value))
            {
                return null;
            }

            return value is YamlScalarNode { Value: { Length: > 0 } text } && !text.Any(char.IsWhiteSpace)
                ? text
                : throw new ConfigException(path, $"releases.{release}.{field}", "must be one word of text.");
        }

        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => !s_fields.Contains(k.Value, StringComparer.Ordinal)))
        {
            throw new ConfigException(path, $"releases.{release}.{key.Value}", $"unknown key; use {string.Join(", ", s_fields)}.");
        }

        string Required(string field) => Field(field) ?? throw new ConfigException(path, $"releases.{release}.{field}", "is required.");
        var repository = Required("repository");
        if (!repository.StartsWith("https://", StringComparison.Ordinal) && !repository.StartsWith("oci://", StringComparison.Ordinal))
        {
            throw new ConfigException(path, $"releases.{release}.repository", $"{ErrorText.Quote(repository)} must be an https:// or oci:// chart repository.");
        }

        return new ChartPin(release, repository, Field("chart") ?? release, Required("version"), Required("namespace"), Field("appVersion"));
    }
}
