using System.Globalization;

namespace Infra.Observability.Rules;

/// <summary>Prometheus duration notation (<c>5m</c>, <c>1h</c>, <c>3d</c>): the largest unit that divides the span.</summary>
public static class PromDuration
{
    private static readonly (string Unit, long Seconds)[] s_units = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)];

    /// <summary>Formats a span of whole seconds, e.g. 90 minutes as <c>90m</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The span is negative or not whole seconds.</exception>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero || span.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(span), span, "a Prometheus duration is a non-negative number of whole seconds.");
        }

        var seconds = (long)span.TotalSeconds;
        if (seconds == 0)
        {
            return "0s";
        }

        var (unit, size) = s_units.First(u => seconds % u.Seconds == 0);
        return (seconds / size).ToString(CultureInfo.InvariantCulture) + unit;
    }

    /// <summary>A metric-name-safe form, e.g. <c>5m</c>, <c>1d</c> for <c>ratio_rate5m</c>.</summary>
    public static string Suffix(TimeSpan span) => Format(span);
}
