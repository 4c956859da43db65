namespace Infra.Docs.Tests.Tutorials;

/// <summary>
/// Stops what a tutorial started in the background and left running because it failed before its last step: a process
/// whose environment names the tutorial's folder (the onboarding service gets its project folder as a setting).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class LeftoverProcesses
{
    public static void Stop(string folder)
    {
        var own = Environment.ProcessId;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid) || pid == own || !StartedIn(entry, folder))
            {
                continue;
            }

            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (Exception error) when (error is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It ended on its own meanwhile.
            }
        }
    }

    private static bool StartedIn(string procEntry, string folder)
    {
        try
        {
            // environ is NUL-separated KEY=VALUE pairs; a value naming the folder marks the tutorial's own process.
            var environment = File.ReadAllText(Path.Combine(procEntry, "environ"));
            return environment.Split('\0').Any(pair => pair.StartsWith("Onboarding__", StringComparison.Ordinal)
                && pair.Contains(folder, StringComparison.Ordinal));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
