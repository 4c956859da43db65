using System.Globalization;

namespace Infra.Locks;

/// <summary>
/// Identifies processes across PID reuse, reboots and PID namespaces. A lock holder's identity
/// (<see cref="State.LockInfo.ProcessStart"/>) is <c>&lt;start ticks&gt;@&lt;boot id&gt;@&lt;pid namespace&gt;</c>: a PID names
/// a process only within one boot (<c>/proc/sys/kernel/random/boot_id</c>) and one PID namespace (the inode of
/// <c>/proc/self/ns/pid</c>), so a holder is judged by its PID only when both match ours. Two containers share a
/// host name far more often than a PID space, and a machine that rebooted reuses PIDs from 1.
/// </summary>
internal static class ProcessIdentity
{
    private const char Separator = '@';

    public static string Host { get; } = Environment.MachineName;

    public static string User { get; } = Environment.GetEnvironmentVariable("INFRA_USER") ?? Environment.UserName;

    public static int Pid { get; } = Environment.ProcessId;

    /// <summary>This boot and PID namespace, or null where the OS does not say (then no PID is ever judged).</summary>
    public static string? CurrentSpace { get; } = SpaceOf(ReadTrimmed("/proc/sys/kernel/random/boot_id"), PidNamespace());

    /// <summary>This process's identity for a lock record.</summary>
    public static string? CurrentStart { get; } = Identity(StartOf(Environment.ProcessId).Start, CurrentSpace);

    /// <summary>The identity recorded for a process that started at <paramref name="start"/> in <paramref name="space"/>.</summary>
    public static string? Identity(string? start, string? space) => start is null || space is null ? start : $"{start}{Separator}{space}";

    /// <summary>
    /// True when the process <paramref name="pid"/> with identity <paramref name="identity"/> may still run. Only a
    /// holder in this boot and PID namespace is judged by its PID, and it is dead only when its <c>/proc</c> entry is
    /// gone, a zombie, or shows another start time (its PID was reused); an entry that cannot be read counts as alive.
    /// </summary>
    public static bool IsAlive(int pid, string? identity) => IsAlive(pid, identity, CurrentSpace, StartOf);

    /// <summary><see cref="IsAlive(int, string?)"/> with the space and the /proc reader given, for tests.</summary>
    internal static bool IsAlive(int pid, string? identity, string? currentSpace, Func<int, (bool Readable, string? Start)> startOf)
    {
        var separator = identity?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (identity is null || separator < 0 || currentSpace is null || identity[(separator + 1)..] != currentSpace)
        {
            // Another boot or PID namespace, or a record that does not say: its PID means nothing here. The lease decides.
            return true;
        }

        var (readable, actual) = startOf(pid);
        return !readable || (actual is not null && actual == identity[..separator]);
    }

    private static string? SpaceOf(string? bootId, string? pidNamespace) =>
        bootId is { Length: > 0 } && pidNamespace is { Length: > 0 } ? $"{bootId}{Separator}{pidNamespace}" : null;

    private static string? PidNamespace()
    {
        try
        {
            // "pid:[4026531836]": the namespace's inode, the same for every process in it.
            var target = new FileInfo("/proc/self/ns/pid").LinkTarget;
            return target?.Replace(Separator, '_');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Field 22 of <c>/proc/PID/stat</c> (start time in clock ticks since boot): not readable when the entry exists but
    /// cannot be read; readable with a null start when there is no such process, or it is a zombie.
    /// </summary>
    private static (bool Readable, string? Start) StartOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) is in parentheses and may contain spaces; fields resume after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // A zombie has exited; its PID only lingers until its parent reaps it.
            return (true, fields[0] == "Z" ? null : fields[19]);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (true, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (false, null);
        }
    }
}
