using System.Diagnostics;
using System.Globalization;

namespace Infra.Locks;

/// <summary>Identifies processes across PID reuse: a PID plus the start time the OS reports for it.</summary>
internal static class ProcessIdentity
{
    public static string Host { get; } = Environment.MachineName;

    public static string User { get; } = Environment.GetEnvironmentVariable("INFRA_USER") ?? Environment.UserName;

    public static int Pid { get; } = Environment.ProcessId;

    public static string? CurrentStart { get; } = StartOf(Environment.ProcessId);

    /// <summary>True when the process <paramref name="pid"/> runs and, if known, started at <paramref name="start"/>.</summary>
    public static bool IsAlive(int pid, string? start)
    {
        var actual = StartOf(pid);
        if (actual is null)
        {
            if (OperatingSystem.IsLinux())
            {
                return false;
            }

            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        return start is null || actual == start;
    }

    /// <summary>The process start time in clock ticks since boot (field 22 of /proc/PID/stat), or null.</summary>
    private static string? StartOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) is in parentheses and may contain spaces; fields resume after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // A zombie has exited; its PID only lingers until its parent reaps it.
            return fields[0] == "Z" ? null : fields[19];
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
