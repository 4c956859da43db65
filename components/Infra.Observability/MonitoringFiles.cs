using Infra.Observability.Alerting;
using Infra.Observability.Exporter;
using Infra.Observability.Rules;

namespace Infra.Observability;

/// <summary>
/// Writes <see cref="PlatformMonitoringArgs"/> as plain files, the layout <c>scripts/monitoring.sh</c> loads:
/// <c>rules/&lt;set&gt;.rules.yml</c> (one per rule source), <c>alertmanager.yml</c>,
/// <c>postgres-exporter-queries.yaml</c> and <c>dashboards/&lt;uid&gt;.json</c>.
/// </summary>
public static class MonitoringFiles
{
    /// <summary>The folder of rule files under the output directory.</summary>
    public const string RulesFolder = "rules";

    /// <summary>The exporter's queries file.</summary>
    public const string ExporterQueriesFile = "postgres-exporter-queries.yaml";

    /// <summary>Writes every file (replacing the rule and dashboard folders) and returns the rule files' paths.</summary>
    public static IReadOnlyList<string> Write(string directory, PlatformMonitoringArgs monitoring, RuleRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(monitoring);
        var rules = Path.Combine(directory, RulesFolder);
        var dashboards = Path.Combine(directory, "dashboards");
        foreach (var stale in new[] { rules, dashboards }.Where(Directory.Exists))
        {
            Directory.Delete(stale, recursive: true);
        }

        var written = monitoring.RuleSources().Select(s => RuleFiles.Write(rules, s, options)).ToList();
        AlertmanagerFiles.Write(directory, monitoring.Routing);
        File.WriteAllText(Path.Combine(directory, ExporterQueriesFile), PostgresExporterQueries.Yaml());
        Directory.CreateDirectory(dashboards);
        foreach (var dashboard in monitoring.Dashboards)
        {
            File.WriteAllText(Path.Combine(dashboards, $"{dashboard.UidValue}.json"), dashboard.ToJsonText());
        }

        return written;
    }
}
