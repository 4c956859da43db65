using System.Globalization;
using System.Text.RegularExpressions;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// Kubernetes resource quantities (<c>250m</c>, <c>2</c>, <c>1.5</c>, <c>512Mi</c>, <c>1G</c>) as numbers, so a plan's
/// sizes can be compared with each other before anything reaches a cluster that would refuse the pods.
/// </summary>
internal static partial class Quantity
{
    private static readonly Dictionary<string, decimal> s_suffixes = new(StringComparer.Ordinal)
    {
        [string.Empty] = 1m,
        ["m"] = 0.001m,
        ["k"] = 1e3m,
        ["M"] = 1e6m,
        ["G"] = 1e9m,
        ["T"] = 1e12m,
        ["Ki"] = 1024m,
        ["Mi"] = 1024m * 1024,
        ["Gi"] = 1024m * 1024 * 1024,
        ["Ti"] = 1024m * 1024 * 1024 * 1024,
    };

    /// <summary>The quantity's value, or <see langword="null"/> when the text is not a quantity.</summary>
    public static decimal? TryParse(string text)
    {
        var match = Pattern().Match(text);
        return match.Success
            ? decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * s_suffixes[match.Groups["suffix"].Value]
            : null;
    }

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?)(?<suffix>m|k|M|G|T|Ki|Mi|Gi|Ti)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
