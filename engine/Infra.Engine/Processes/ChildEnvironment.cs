using System.Diagnostics;

namespace Infra.Processes;

/// <summary>
/// The environment every tool the platform starts gets (pg_dump, pg_restore, psql, git, helm): the few variables a
/// tool needs to find itself, its home and its locale, and nothing else. The engine's own environment holds what a
/// child must never see: <c>INFRA_CONFIG_PASSPHRASE</c>, cloud credentials, <c>PGPASSWORD</c>, tokens; a child that is
/// compromised, or that logs its environment, or whose <c>/proc/&lt;pid&gt;/environ</c> another process of the same
/// user reads, then has none of them. This type is the one owner of that list.
/// </summary>
public static class ChildEnvironment
{
    /// <summary>The variables passed on from this process's environment when set.</summary>
    public static IReadOnlyList<string> PassedOn { get; } =
    [
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR",
        "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "KUBECONFIG",
    ];

    /// <summary>
    /// Passed on to git only, for a GitOps remote reached over SSH: the agent's socket (so a key never has to be on
    /// disk or in config) and the ssh command the user chose. Another tool has no use for an agent that can sign as
    /// the user, so it never gets one.
    /// </summary>
    public static IReadOnlyList<string> GitSshPassedOn { get; } = ["SSH_AUTH_SOCK", "GIT_SSH_COMMAND", "GIT_SSH", "GIT_SSH_VARIANT"];

    /// <summary>
    /// Replaces the environment of <paramref name="start"/> with <see cref="PassedOn"/> (and <paramref name="alsoPassedOn"/>,
    /// a tool's own list such as <see cref="GitSshPassedOn"/>) taken from this process, plus <paramref name="extra"/>,
    /// which the caller chooses for the tool (never a password: pass those in a file or a pipe).
    /// </summary>
    public static void Apply(
        ProcessStartInfo start, IEnumerable<KeyValuePair<string, string>>? extra = null, IEnumerable<string>? alsoPassedOn = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.Environment.Clear();
        foreach (var name in PassedOn.Concat(alsoPassedOn ?? []))
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (name, value) in extra ?? [])
        {
            start.Environment[name] = value;
        }
    }
}
