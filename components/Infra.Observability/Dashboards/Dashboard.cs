using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Infra.Observability.Dashboards;

/// <summary>
/// A Grafana dashboard built from typed panels: panels flow left to right through the 24-column grid, every query
/// reads the dashboard's Prometheus data source variable, and <see cref="ToJson"/> gives the JSON model Grafana's
/// dashboard sidecar loads.
/// </summary>
public sealed partial class Dashboard
{
    private const int GridWidth = 24;
    private readonly List<Panel> _panels = [];
    private readonly List<TemplateVariable> _variables = [];

    /// <summary>Starts a dashboard.</summary>
    /// <exception cref="ArgumentException">The uid is not lower-case letters, digits and '-' (at most 40).</exception>
    public Dashboard(string uid, string title, params string[] tags)
    {
        if (!Uid().IsMatch(uid))
        {
            throw new ArgumentException($"dashboard uid '{uid}' must be up to 40 lower-case letters, digits and '-'.", nameof(uid));
        }

        UidValue = uid;
        Title = title;
        Tags = tags;
    }

    /// <summary>The dashboard's uid, stable across updates; names its ConfigMap.</summary>
    public string UidValue { get; }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>Tags, for Grafana's search.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>The panels, in order.</summary>
    public IReadOnlyList<Panel> Panels => _panels;

    /// <summary>The template variables.</summary>
    public IReadOnlyList<TemplateVariable> Variables => _variables;

    /// <summary>Adds a template variable and returns the dashboard.</summary>
    public Dashboard With(TemplateVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        _variables.Add(variable);
        return this;
    }

    /// <summary>Adds panels and returns the dashboard.</summary>
    public Dashboard Add(params Panel[] panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        _panels.AddRange(panels);
        return this;
    }

    /// <summary>The dashboard's JSON model.</summary>
    public JsonObject ToJson()
    {
        var datasource = new JsonObject { ["type"] = "prometheus", ["uid"] = "${datasource}" };
        var templating = new JsonArray
        {
            new JsonObject { ["name"] = "datasource", ["label"] = "Data source", ["type"] = "datasource", ["query"] = "prometheus" },
        };
        foreach (var variable in _variables)
        {
            templating.Add(new JsonObject
            {
                ["name"] = variable.Name,
                ["label"] = variable.Label,
                ["type"] = "query",
                ["datasource"] = datasource.DeepClone(),
                ["query"] = new JsonObject { ["query"] = $"label_values({variable.Series}, {variable.SeriesLabel})", ["refId"] = "variable" },
                ["refresh"] = 2,
                ["sort"] = 1,
            });
        }

        var panels = new JsonArray();
        var (x, y, rowHeight) = (0, 0, 0);
        for (var i = 0; i < _panels.Count; i++)
        {
            var panel = _panels[i];
            if (x + panel.Width > GridWidth)
            {
                (x, y, rowHeight) = (0, y + rowHeight, 0);
            }

            panels.Add(PanelJson(i + 1, panel, x, y, datasource));
            x += panel.Width;
            rowHeight = Math.Max(rowHeight, panel.Height);
        }

        return new JsonObject
        {
            ["uid"] = UidValue,
            ["title"] = Title,
            ["tags"] = new JsonArray([.. Tags.Select(static t => (JsonNode?)t)]),
            ["schemaVersion"] = 39,
            ["editable"] = false,
            ["time"] = new JsonObject { ["from"] = "now-24h", ["to"] = "now" },
            ["refresh"] = "1m",
            ["templating"] = new JsonObject { ["list"] = templating },
            ["panels"] = panels,
        };
    }

    /// <summary>The JSON text, indented.</summary>
    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonObject PanelJson(int id, Panel panel, int x, int y, JsonObject datasource)
    {
        var targets = new JsonArray();
        for (var i = 0; i < panel.Queries.Count; i++)
        {
            targets.Add(new JsonObject
            {
                ["refId"] = ((char)('A' + i)).ToString(),
                ["datasource"] = datasource.DeepClone(),
                ["expr"] = panel.Queries[i].Expr,
                ["legendFormat"] = panel.Queries[i].Legend,
            });
        }

        return new JsonObject
        {
            ["id"] = id,
            ["type"] = panel.Kind switch { PanelKind.Stat => "stat", PanelKind.Gauge => "gauge", _ => "timeseries" },
            ["title"] = panel.Title,
            ["datasource"] = datasource.DeepClone(),
            ["gridPos"] = new JsonObject { ["x"] = x, ["y"] = y, ["w"] = panel.Width, ["h"] = panel.Height },
            ["fieldConfig"] = new JsonObject { ["defaults"] = new JsonObject { ["unit"] = panel.Unit }, ["overrides"] = new JsonArray() },
            ["targets"] = targets,
        };
    }

    [GeneratedRegex("^[a-z0-9][-a-z0-9]{0,39}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Uid();
}
