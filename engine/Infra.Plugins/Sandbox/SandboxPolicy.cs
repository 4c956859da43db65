using System.Collections.Immutable;

namespace Infra.Plugins.Sandbox;

/// <summary>
/// Resource limits of a sandboxed plugin. Memory is <c>RLIMIT_DATA</c> (heap and anonymous mappings), not an
/// address-space limit: the JVM and V8 reserve far more address space than they use, and <c>ulimit -v</c> kills them
/// at start. CPU time is <c>RLIMIT_CPU</c> (the process gets SIGXCPU). Processes (threads included) are capped by a
/// cgroup's <c>pids.max</c> where the engine may create one, else by <c>RLIMIT_NPROC</c>, which the kernel does not
/// apply to root.
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>Heap and anonymous memory, in bytes; 1 GiB by default.</summary>
    public long MemoryBytes { get; init; } = 1L << 30;

    /// <summary>CPU seconds over the process's life (one operation); 10 minutes by default.</summary>
    public int CpuSeconds { get; init; } = 600;

    /// <summary>Processes and threads at once; 256 by default (a JVM runs a few dozen threads).</summary>
    public int Processes { get; init; } = 256;
}

/// <summary>What one sandboxed plugin may see and do beyond its own folder (read-only), the runtimes and a private /tmp.</summary>
public sealed record SandboxPolicy
{
    /// <summary>Share the host's network; without it the plugin has an empty network namespace (loopback only).</summary>
    public bool Network { get; init; }

    /// <summary>Folders the plugin may read and write (granted under <c>filesystem</c>).</summary>
    public ImmutableArray<string> WritablePaths { get; init; } = [];

    /// <summary>Further folders or files the plugin may read (e.g. a C# policy pack's assembly folder).</summary>
    public ImmutableArray<string> ReadOnlyPaths { get; init; } = [];

    /// <summary>Resource limits.</summary>
    public SandboxLimits Limits { get; init; } = new();
}
