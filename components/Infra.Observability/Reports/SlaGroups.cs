namespace Infra.Observability.Reports;

/// <summary>How the SLA report names a series' group and a series itself, and the units it counts in.</summary>
internal static class SlaGroups
{
    /// <summary>The coarse unit: hours are read from the counters' values at their ends.</summary>
    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>The fine unit: bad minutes are what the report counts.</summary>
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private const char Separator = '\u0001';
    private const string MetricName = "__name__";

    /// <summary>The group's key: its <paramref name="by"/> labels' values, tenant first, so a tenant's key starts with its id.</summary>
    public static string Key(IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> by) =>
        string.Join(Separator, Ordered(by).Select(l => labels.GetValueOrDefault(l) ?? string.Empty));

    /// <summary>The tenant of a per-tenant group's key.</summary>
    public static string TenantOf(string key) => key.Split(Separator)[0];

    /// <summary>Only the <paramref name="by"/> labels of <paramref name="labels"/>, as <c>sum by</c> would keep them.</summary>
    public static IReadOnlyDictionary<string, string> Labels(IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> by) =>
        by.Where(labels.ContainsKey).ToDictionary(static l => l, l => labels[l], StringComparer.Ordinal);

    /// <summary>A series' identity: all its labels, the metric name too, in name order.</summary>
    public static string Identity(IReadOnlyDictionary<string, string> labels) =>
        string.Join(Separator, labels.OrderBy(static l => l.Key, StringComparer.Ordinal).Select(static l => $"{l.Key}\u0000{l.Value}"));

    /// <summary>
    /// A series' identity without its metric name: PromQL functions drop the name, and an SLI's selector names one
    /// metric, so within one selector a series is known by this identity in a raw answer and in a function's.
    /// </summary>
    public static string IdentityWithoutName(IReadOnlyDictionary<string, string> labels) =>
        Identity(labels.Where(static l => l.Key != MetricName).ToDictionary(StringComparer.Ordinal));

    private static IEnumerable<string> Ordered(IReadOnlyList<string> by) =>
        by.OrderBy(static l => l == TenantLabels.Tenant ? 0 : 1).ThenBy(static l => l, StringComparer.Ordinal);
}
