using System.Collections.Immutable;

namespace Infra.Plugins.Runtime;

/// <summary>
/// What to execute to run a plugin: an argument vector (no shell), a working folder, and the environment variables
/// the plugin needs beyond the minimal set (see <see cref="PluginEnvironment"/>).
/// </summary>
/// <param name="Arguments">The program and its arguments, e.g. <c>["node", "dist/index.js"]</c>.</param>
/// <param name="WorkingDirectory">The folder the plugin runs in, usually its own folder.</param>
public sealed record PluginCommand(ImmutableArray<string> Arguments, string WorkingDirectory)
{
    /// <summary>Variables added to the minimal environment. <c>INFRA_CONFIG_PASSPHRASE</c> is never passed, even from here.</summary>
    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// What the launcher set up for this one run and must be released once the process has exited (a sandbox's
    /// cgroup); <see cref="PluginProcess"/> disposes it after the process is gone.
    /// </summary>
    public IDisposable? Lease { get; init; }

    /// <summary>The program to execute.</summary>
    public string Program => Arguments.IsDefaultOrEmpty ? throw new InvalidOperationException("A plugin command needs a program.") : Arguments[0];

    /// <summary>The command line, for messages.</summary>
    public override string ToString() => string.Join(' ', Arguments.Select(static a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
}

/// <summary>
/// Turns a plugin's command into the command actually executed: the seam for a sandbox, which wraps the command
/// (e.g. in <c>bwrap</c>) and narrows its environment and file system.
/// </summary>
public interface IPluginLauncher
{
    /// <summary>The command to execute for <paramref name="command"/>.</summary>
    PluginCommand Prepare(PluginCommand command);
}

/// <summary>Runs a plugin's command as it is, unsandboxed.</summary>
public sealed class DirectPluginLauncher : IPluginLauncher
{
    /// <summary>The one instance.</summary>
    public static DirectPluginLauncher Instance { get; } = new();

    private DirectPluginLauncher()
    {
    }

    /// <inheritdoc/>
    public PluginCommand Prepare(PluginCommand command) => command;
}
