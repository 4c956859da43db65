namespace Infra.Observability.Dashboards;

/// <summary>How a panel shows its queries.</summary>
public enum PanelKind
{
    /// <summary>Lines over time (Grafana <c>timeseries</c>).</summary>
    TimeSeries,

    /// <summary>One big number per query (Grafana <c>stat</c>).</summary>
    Stat,

    /// <summary>A gauge from 0 to the panel's max (Grafana <c>gauge</c>).</summary>
    Gauge,
}

/// <summary>One query of a panel.</summary>
/// <param name="Expr">PromQL; may use the dashboard's variables (<c>$tenant</c>) and <c>$__rate_interval</c>.</param>
/// <param name="Legend">The legend, e.g. <c>{{tenant}}</c>.</param>
public sealed record PanelQuery(string Expr, string Legend = "");

/// <summary>A panel: a title, how to show it, its queries and the unit of its values (Grafana unit ids: <c>percentunit</c>, <c>bytes</c>, <c>s</c>, <c>short</c>).</summary>
/// <param name="Title">The panel's title.</param>
/// <param name="Kind">How it is drawn.</param>
/// <param name="Unit">The unit of its values.</param>
/// <param name="Queries">Its queries.</param>
public sealed record Panel(string Title, PanelKind Kind, string Unit, IReadOnlyList<PanelQuery> Queries)
{
    /// <summary>Its width in Grafana's 24-column grid.</summary>
    public int Width { get; init; } = 12;

    /// <summary>Its height in grid rows.</summary>
    public int Height { get; init; } = 8;

    /// <summary>A panel of one query.</summary>
    public static Panel Of(string title, PanelKind kind, string unit, string expr, string legend = "") => new(title, kind, unit, [new PanelQuery(expr, legend)]);
}

/// <summary>A template variable filled from a label's values, e.g. <c>tenant</c> from <c>label_values(infra:tenant_plan:info, tenant)</c>.</summary>
/// <param name="Name">The variable, used in queries as <c>$name</c>.</param>
/// <param name="Label">Its label in Grafana's bar.</param>
/// <param name="Series">The series whose label values it offers.</param>
/// <param name="SeriesLabel">The label it takes the values of.</param>
public sealed record TemplateVariable(string Name, string Label, string Series, string SeriesLabel);
