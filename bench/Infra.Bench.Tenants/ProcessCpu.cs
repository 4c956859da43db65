using System.Diagnostics;
using System.Globalization;

namespace Infra.Bench.Tenants;

/// <summary>
/// The CPU time of this process and of its finished children (helm, git), to tell our own cost from the tools' when
/// the machine is shared and wall-clock figures move with the load.
/// </summary>
internal readonly record struct ProcessCpu(TimeSpan Self, TimeSpan Children)
{
    // Linux reports children's times in clock ticks (USER_HZ), 100 a second on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Now, for this process; children count once they have exited and been waited for.</summary>
    public static ProcessCpu Now()
    {
        var self = Process.GetCurrentProcess().TotalProcessorTime;
        if (!OperatingSystem.IsLinux())
        {
            return new ProcessCpu(self, TimeSpan.Zero);
        }

        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): the 14th and
        // 15th of the whole line are cutime and cstime.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var children = double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
        return new ProcessCpu(self, TimeSpan.FromSeconds(children / TicksPerSecond));
    }

    /// <summary>What was spent since <paramref name="start"/>, as one line for standard error.</summary>
    public string Since(ProcessCpu start) => string.Create(CultureInfo.InvariantCulture,
        $"cpu: self {(Self - start.Self).TotalSeconds:0.00} s, children {(Children - start.Children).TotalSeconds:0.00} s");

    /// <summary>
    /// <see cref="Since(ProcessCpu)"/> and how many cores that kept busy on average over <paramref name="wall"/>: on a
    /// quiet machine, a side with work left over that keeps fewer cores busy than the other is waiting, not working.
    /// </summary>
    public string Since(ProcessCpu start, TimeSpan wall) => string.Create(CultureInfo.InvariantCulture,
        $"{Since(start)}, cores busy {((Self - start.Self) + (Children - start.Children)).TotalSeconds / wall.TotalSeconds:0.00}");
}
