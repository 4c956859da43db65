namespace Infra.Plugins.Sandbox;

/// <summary>
/// A cgroup of one's own for one sandboxed plugin, capping its processes and threads with <c>pids.max</c>, which
/// holds for root too (unlike <c>RLIMIT_NPROC</c>). It is made under the engine's own cgroup, in cgroup v2 when the
/// pids controller is delegated there, else in the v1 pids hierarchy; where neither is writable there is none.
/// Disposing kills what is left in it and removes it.
/// </summary>
internal sealed class PluginCgroup : IDisposable
{
    private readonly string _directory;

    private PluginCgroup(string directory) => _directory = directory;

    /// <summary>The file a process writes its PID to, to join.</summary>
    public string ProcsFile => Path.Combine(_directory, "cgroup.procs");

    /// <summary>A new cgroup with <paramref name="maxProcesses"/>, or <see langword="null"/> where cgroups are not writable.</summary>
    public static PluginCgroup? TryCreate(int maxProcesses)
    {
        foreach (var parent in Candidates())
        {
            RemoveAbandoned(parent);
            var directory = Path.Combine(parent, $"infra-plugin-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(Path.Combine(directory, "pids.max"), maxProcesses.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return new PluginCgroup(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryRemove(directory);
            }
        }

        return null;
    }

    public void Dispose()
    {
        // --die-with-parent and the PID namespace end the plugin's children with it; this is for the rare straggler.
        for (var attempt = 0; attempt < 20 && Directory.Exists(_directory); attempt++)
        {
            try
            {
                foreach (var line in File.ReadAllLines(ProcsFile))
                {
                    if (int.TryParse(line, out var pid))
                    {
                        try
                        {
                            System.Diagnostics.Process.GetProcessById(pid).Kill();
                        }
                        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                        {
                            // Gone already.
                        }
                    }
                }

                Directory.Delete(_directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static IEnumerable<string> Candidates()
    {
        if (!File.Exists("/proc/self/cgroup"))
        {
            yield break;
        }

        var lines = File.ReadAllLines("/proc/self/cgroup");
        // cgroup v2: "0::/path", usable when the pids controller is delegated to our cgroup's children.
        if (lines.FirstOrDefault(static l => l.StartsWith("0::", StringComparison.Ordinal)) is { } unified)
        {
            var own = "/sys/fs/cgroup" + unified[3..].TrimEnd('/');
            var control = Path.Combine(own, "cgroup.subtree_control");
            if (File.Exists(control) && File.ReadAllText(control).Split(' ', StringSplitOptions.TrimEntries).Contains("pids"))
            {
                yield return own;
            }
        }

        // cgroup v1: "N:pids:/path".
        if (lines.Select(static l => l.Split(':', 3)).FirstOrDefault(static p => p.Length == 3 && p[1].Split(',').Contains("pids")) is { } v1)
        {
            var own = "/sys/fs/cgroup/pids" + v1[2].TrimEnd('/');
            if (Directory.Exists(own))
            {
                yield return own;
            }
        }
    }

    /// <summary>
    /// Removes the empty cgroups of engines that are gone: a CLI that exits without disposing its plugins (they die
    /// with it) leaves its cgroups behind, named with its process ID.
    /// </summary>
    private static void RemoveAbandoned(string parent)
    {
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(parent, "infra-plugin-*"))
            {
                var parts = Path.GetFileName(directory).Split('-');
                if (parts.Length >= 4 && int.TryParse(parts[2], out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
                {
                    TryRemove(directory);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Cleaning up after others is a courtesy; it never stops a plugin from starting.
        }
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");

    private static void TryRemove(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not ours to keep; nothing else to do.
        }
    }
}
