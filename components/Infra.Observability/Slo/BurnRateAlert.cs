namespace Infra.Observability.Slo;

/// <summary>
/// One condition of a multi-window, multi-burn-rate alert: the error ratio over both the long and the short window
/// exceeds <see cref="Factor"/> times the error budget. The long window makes it significant, the short one makes it
/// stop soon after the burning stops.
/// </summary>
/// <param name="Factor">The burn rate: 1 spends exactly the budget over the SLO's window.</param>
/// <param name="Long">The long window.</param>
/// <param name="Short">The short window, one twelfth of the long one.</param>
public sealed record BurnRateWindow(double Factor, TimeSpan Long, TimeSpan Short)
{
    /// <summary>
    /// The Site Reliability Workbook's four conditions for a 30-day SLO: pages at 14.4× (1 h, 5 m: 2 % of the budget in
    /// an hour) and 6× (6 h, 30 m: 5 % in six hours), tickets at 3× (1 d, 2 h: 10 % in a day) and 1× (3 d, 6 h).
    /// </summary>
    public static IReadOnlyList<BurnRateWindow> Page { get; } =
    [
        new(14.4, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)),
        new(6, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30)),
    ];

    /// <summary>The ticket conditions: 3× over 1 d and 2 h, 1× over 3 d and 6 h.</summary>
    public static IReadOnlyList<BurnRateWindow> Ticket { get; } =
    [
        new(3, TimeSpan.FromDays(1), TimeSpan.FromHours(2)),
        new(1, TimeSpan.FromDays(3), TimeSpan.FromHours(6)),
    ];

    /// <summary>Every window the conditions read, shortest first.</summary>
    public static IReadOnlyList<TimeSpan> AllWindows { get; } =
        Page.Concat(Ticket).SelectMany(static w => new[] { w.Long, w.Short }).Distinct().Order().ToArray();
}
