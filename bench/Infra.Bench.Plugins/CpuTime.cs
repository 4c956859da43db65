using System.Globalization;

namespace Infra.Bench.Plugins;

/// <summary>
/// CPU time of this process (the engine) and of its children that have exited and been waited for (the plugin
/// processes an up started and stopped), from <c>/proc/self/stat</c>. On two shared cores, wall time mostly measures
/// the load; CPU time says which side does the work.
/// </summary>
internal readonly record struct CpuTime(TimeSpan Engine, TimeSpan Plugin)
{
    private static readonly double s_ticksPerSecond = 100; // USER_HZ, 100 on Linux for every architecture .NET runs on

    public static CpuTime Now()
    {
        // After the ')' closing the command name: field 3 is the state; utime, stime, cutime, cstime are fields 14 to 17.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Field(int number) => double.Parse(fields[number - 3], CultureInfo.InvariantCulture) / s_ticksPerSecond;
        return new CpuTime(TimeSpan.FromSeconds(Field(14) + Field(15)), TimeSpan.FromSeconds(Field(16) + Field(17)));
    }

    public static CpuTime operator -(CpuTime after, CpuTime before) => new(after.Engine - before.Engine, after.Plugin - before.Plugin);
}
