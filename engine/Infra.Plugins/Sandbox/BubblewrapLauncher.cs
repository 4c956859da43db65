using System.Collections.Immutable;
using System.Globalization;
using Infra.Plugins.Runtime;

namespace Infra.Plugins.Sandbox;

/// <summary>
/// Runs a plugin under Debian's bubblewrap (<c>bwrap</c>): a read-only view of the plugin's own folder and of the
/// runtimes (<c>/usr</c>, where node, python3, java, Jackson and dotnet live, and the few files of <c>/etc</c> they
/// read), a private <c>/tmp</c>, its own PID, IPC, UTS and user namespaces, no network unless <see cref="SandboxPolicy.Network"/>,
/// nothing of the project (its folder, <c>.infra/</c>, the state) but the folders granted, and the limits of
/// <see cref="SandboxLimits"/>. The engine's environment is already reduced by <see cref="PluginEnvironment"/>, so
/// the passphrase never enters. The plugin dies with the engine (<c>--die-with-parent</c>).
/// </summary>
/// <param name="policy">What the plugin may see and use.</param>
public sealed class BubblewrapLauncher(SandboxPolicy policy) : IPluginLauncher
{
    /// <summary>The PATH inside the sandbox: the distribution's runtimes, not the host user's shims.</summary>
    public const string SandboxPath = "/usr/local/bin:/usr/bin:/bin";

    private static readonly string[] s_mergedRoots = ["/bin", "/sbin", "/lib", "/lib64", "/lib32"];
    private static readonly string[] s_runtimeEtc = ["/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd", "/etc/group"];
    private static readonly string[] s_networkEtc = ["/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/ssl", "/etc/ca-certificates", "/etc/gai.conf"];

    /// <summary>The policy.</summary>
    public SandboxPolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>The <c>bwrap</c> binary, or <see langword="null"/> when bubblewrap is not installed.</summary>
    public static string? Bubblewrap => FindOnPath("bwrap");

    /// <inheritdoc/>
    /// <exception cref="InfraException">bubblewrap or prlimit is not installed.</exception>
    public PluginCommand Prepare(PluginCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var bwrap = Bubblewrap ?? throw new InfraException(
            "the plugin sandbox needs bubblewrap, which is not installed; install Debian's 'bubblewrap' (scripts/install.sh does), or set plugins.sandbox: false in Pulumi.yaml to run plugins unsandboxed.");
        var prlimit = FindOnPath("prlimit") ?? throw new InfraException("the plugin sandbox needs prlimit (util-linux), which is not installed.");
        var limits = Policy.Limits;
        var cgroup = PluginCgroup.TryCreate(limits.Processes);
        try
        {
            var arguments = ImmutableArray.CreateBuilder<string>();
            if (cgroup is not null)
            {
                // Join the cgroup before anything of the plugin runs, so no child it forks can be outside it.
                arguments.AddRange("/bin/sh", "-c", "echo $$ > \"$1\" && shift && exec \"$@\"", "sh", cgroup.ProcsFile);
            }

            // The CPU limit's soft value sends SIGXCPU, which names the cause; the hard one, a little later, SIGKILLs a plugin that ignores it.
            arguments.AddRange(prlimit, Limit("data", limits.MemoryBytes), Limit("cpu", limits.CpuSeconds, limits.CpuSeconds + 2));
            if (cgroup is null)
            {
                arguments.Add(Limit("nproc", limits.Processes));
            }

            arguments.AddRange("--", bwrap);
            arguments.AddRange(SandboxArguments(command));
            arguments.Add("--");
            arguments.AddRange(command.Arguments);
            return command with { Arguments = arguments.ToImmutable(), Lease = cgroup };
        }
        catch
        {
            cgroup?.Dispose();
            throw;
        }
    }

    /// <summary>The <c>bwrap</c> options for <paramref name="command"/>, without the command itself.</summary>
    public ImmutableArray<string> SandboxArguments(PluginCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var arguments = ImmutableArray.CreateBuilder<string>();
        arguments.AddRange("--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL");
        if (Policy.Network)
        {
            arguments.Add("--share-net");
        }

        arguments.AddRange("--ro-bind", "/usr", "/usr");
        foreach (var root in s_mergedRoots)
        {
            var info = new FileInfo(root);
            if (info.LinkTarget is { } target)
            {
                arguments.AddRange("--symlink", target, root);
            }
            else if (Directory.Exists(root))
            {
                arguments.AddRange("--ro-bind", root, root);
            }
        }

        foreach (var path in s_runtimeEtc.Concat(JavaConfiguration()).Concat(Policy.Network ? s_networkEtc : []))
        {
            arguments.AddRange("--ro-bind-try", path, path);
        }

        arguments.AddRange("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
        var folder = Path.GetFullPath(command.WorkingDirectory);
        arguments.AddRange("--ro-bind", folder, folder);
        foreach (var path in Policy.ReadOnlyPaths)
        {
            arguments.AddRange("--ro-bind", Path.GetFullPath(path), Path.GetFullPath(path));
        }

        foreach (var path in Policy.WritablePaths)
        {
            Directory.CreateDirectory(path);
            arguments.AddRange("--bind", Path.GetFullPath(path), Path.GetFullPath(path));
        }

        arguments.AddRange("--chdir", folder, "--setenv", "PATH", SandboxPath, "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp");
        return arguments.ToImmutable();
    }

    /// <summary>The JVM reads its configuration from /etc/java-N-openjdk through links in /usr/lib/jvm.</summary>
    private static IEnumerable<string> JavaConfiguration() =>
        Directory.Exists("/etc") ? Directory.EnumerateDirectories("/etc", "java-*") : [];

    private static string Limit(string name, long value) => string.Create(CultureInfo.InvariantCulture, $"--{name}={value}");

    private static string Limit(string name, long soft, long hard) => string.Create(CultureInfo.InvariantCulture, $"--{name}={soft}:{hard}");

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator)
            .Append("/usr/bin")
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
