using System.Globalization;

namespace Infra.Bench;

/// <summary>Prints one benchmark figure per line: <c>name value unit</c>.</summary>
internal static class Figure
{
    public static void Print(string name, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value:0.###} {unit}"));

    public static void Seconds(string name, TimeSpan elapsed) => Print(name, elapsed.TotalSeconds, "s");

    /// <summary>The process's peak resident set size so far, from /proc (VmHWM).</summary>
    public static double PeakRssMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = double.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024;
            }
        }

        return double.NaN;
    }
}
