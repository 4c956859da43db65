namespace Infra.Plugins.Runtime;

/// <summary>Says how a plugin process ended, naming the signal (and the sandbox limit behind it) when it was killed.</summary>
public static class PluginExit
{
    /// <summary>E.g. <c>exited with code 3</c>, or <c>was killed by SIGXCPU (its CPU time limit) (exit code 152)</c>.</summary>
    public static string Describe(int exitCode)
    {
        // A shell, bwrap and .NET all report a death by signal N as 128 + N.
        var signal = exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : 0;
        var name = signal switch
        {
            6 => "SIGABRT (it aborted, e.g. out of memory)",
            9 => "SIGKILL",
            11 => "SIGSEGV",
            15 => "SIGTERM",
            24 => "SIGXCPU (its CPU time limit)",
            25 => "SIGXFSZ (its file size limit)",
            0 => null,
            _ => $"signal {signal}",
        };
        return name is null ? $"exited with code {exitCode}" : $"was killed by {name} (exit code {exitCode})";
    }
}
