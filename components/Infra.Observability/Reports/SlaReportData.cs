namespace Infra.Observability.Reports;

/// <summary>A stretch of consecutive minutes that missed the objective.</summary>
/// <param name="Start">The first bad minute.</param>
/// <param name="End">The end of the last bad minute (exclusive).</param>
/// <param name="BadEvents">Bad events in the stretch.</param>
/// <param name="TotalEvents">All events in the stretch.</param>
public sealed record SlaWindow(DateTimeOffset Start, DateTimeOffset End, double BadEvents, double TotalEvents)
{
    /// <summary>Its length in whole minutes.</summary>
    public int Minutes => (int)Math.Round((End - Start).TotalMinutes);
}

/// <summary>One day of an entry: its availability and the error budget left at its end.</summary>
/// <param name="Day">The day (UTC).</param>
/// <param name="Availability">Good events over all events that day; NaN without events.</param>
/// <param name="BudgetRemaining">The month's error budget left at the end of the day (1 untouched, 0 spent).</param>
public sealed record SlaDay(DateOnly Day, double Availability, double BudgetRemaining);

/// <summary>One SLO for one tenant (or for the service, when the SLO is not per tenant) over the period.</summary>
public sealed record SlaEntry
{
    /// <summary>The SLO's name.</summary>
    public required string Slo { get; init; }

    /// <summary>The service.</summary>
    public required string Service { get; init; }

    /// <summary>The tenant; null for a service-wide SLO.</summary>
    public string? Tenant { get; init; }

    /// <summary>The objective.</summary>
    public required double Target { get; init; }

    /// <summary>Good events in the period.</summary>
    public required double GoodEvents { get; init; }

    /// <summary>All events in the period.</summary>
    public required double TotalEvents { get; init; }

    /// <summary>Good over all events; 1 when there were none.</summary>
    public double Availability => TotalEvents > 0 ? GoodEvents / TotalEvents : 1;

    /// <summary>True when the availability meets the target.</summary>
    public bool Met => Availability >= Target;

    /// <summary>The share of the error budget spent: 1 is all of it, above 1 is overspent.</summary>
    public double BudgetUsed => (1 - Availability) / (1 - Target);

    /// <summary>Minutes whose error ratio exceeded the error budget (1 - target).</summary>
    public required int BadMinutes { get; init; }

    /// <summary>The worst stretches of bad minutes, most bad events first.</summary>
    public required IReadOnlyList<SlaWindow> WorstWindows { get; init; }

    /// <summary>Day by day.</summary>
    public required IReadOnlyList<SlaDay> Days { get; init; }
}

/// <summary>The SLA report: every SLO per tenant over a period, and a chart per SLO.</summary>
public sealed record SlaReportData
{
    /// <summary>The period's start (inclusive).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>The period's end (exclusive).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>The tenant the report is restricted to, if any.</summary>
    public string? Tenant { get; init; }

    /// <summary>The entries, by SLO then tenant.</summary>
    public required IReadOnlyList<SlaEntry> Entries { get; init; }
}
