using System.Globalization;

namespace Infra.Bench.Tenants;

/// <summary>Prints one figure per line as <c>name value unit</c>, and summarises samples.</summary>
internal static class Figures
{
    public static void Print(string name, double value, string unit) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###} {unit}"));

    public static double Percentile(IReadOnlyList<double> samples, double percentile)
    {
        var sorted = samples.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
