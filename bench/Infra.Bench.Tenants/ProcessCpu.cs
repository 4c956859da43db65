using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Infra.Bench.Tenants;

/// <summary>
/// The CPU time of this process and of its finished children (helm, git), to tell our own cost from the tools' when
/// the machine is shared and wall-clock figures move with the load; with this process's JIT work (methods compiled and
/// the time spent compiling them), bytes allocated and gen-0 collections, to see what grows with the tenants.
/// </summary>
internal readonly record struct ProcessCpu(TimeSpan Self, TimeSpan Children, long JitMethods, TimeSpan JitTime, long Allocated, int Collections)
{
    // Linux reports children's times in clock ticks (USER_HZ), 100 a second on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Now, for this process; children count once they have exited and been waited for.</summary>
    public static ProcessCpu Now()
    {
        var self = Process.GetCurrentProcess().TotalProcessorTime;
        var runtime = new ProcessCpu(self, TimeSpan.Zero, JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(),
            GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));
        if (!OperatingSystem.IsLinux())
        {
            return runtime;
        }

        // Fields after the command name (which may hold spaces, so split after its closing parenthesis): the 14th and
        // 15th of the whole line are cutime and cstime.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var children = double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
        return runtime with { Children = TimeSpan.FromSeconds(children / TicksPerSecond) };
    }

    /// <summary>What was spent between <paramref name="start"/> and <paramref name="end"/>.</summary>
    public static ProcessCpu operator -(ProcessCpu end, ProcessCpu start) => new(
        end.Self - start.Self, end.Children - start.Children, end.JitMethods - start.JitMethods, end.JitTime - start.JitTime,
        end.Allocated - start.Allocated, end.Collections - start.Collections);

    /// <summary>Two amounts spent, added: a side timed in several stretches.</summary>
    public static ProcessCpu operator +(ProcessCpu left, ProcessCpu right) => new(
        left.Self + right.Self, left.Children + right.Children, left.JitMethods + right.JitMethods, left.JitTime + right.JitTime,
        left.Allocated + right.Allocated, left.Collections + right.Collections);

    /// <summary>
    /// This amount spent (a difference of two readings), as one line for standard error, with how many cores it kept
    /// busy on average over <paramref name="wall"/>: on a quiet machine, a side with work left over that keeps fewer
    /// cores busy than the other is waiting, not working.
    /// </summary>
    public string Describe(TimeSpan wall) => string.Create(CultureInfo.InvariantCulture,
        $"cpu: self {Self.TotalSeconds:0.00} s, children {Children.TotalSeconds:0.00} s; " +
        $"jit: {JitMethods} methods in {JitTime.TotalSeconds:0.00} s; " +
        $"allocated {Allocated / 1048576.0:0} MiB in {Collections} gen-0 collections, " +
        $"cores busy {(Self + Children).TotalSeconds / wall.TotalSeconds:0.00}");
}
