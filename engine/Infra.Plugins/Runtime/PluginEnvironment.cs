using System.Collections.Immutable;

namespace Infra.Plugins.Runtime;

/// <summary>
/// The environment a plugin process gets: a few variables that runtimes need to start, copied from the engine's
/// environment, plus the command's own; nothing else of the engine's environment leaks into a plugin. The config
/// passphrase in particular is never passed: a plugin receives its decrypted config through <c>configure</c> only.
/// </summary>
public static class PluginEnvironment
{
    /// <summary>The variable that holds the config passphrase; never passed to a plugin.</summary>
    public const string PassphraseVariable = "INFRA_CONFIG_PASSPHRASE";

    /// <summary>Variables copied from the engine's environment when set: how runtimes find themselves.</summary>
    public static ImmutableArray<string> Inherited { get; } = ["PATH", "LANG", "LC_ALL", "TZ", "DOTNET_ROOT", "JAVA_HOME"];

    /// <summary>The environment for <paramref name="command"/>.</summary>
    public static ImmutableDictionary<string, string> For(PluginCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var variables = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var name in Inherited)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                variables[name] = value;
            }
        }

        // Runtimes that look for a home (npm, the JVM's user.home, dotnet) get a scratch folder, not the user's.
        variables["HOME"] = Path.GetTempPath();
        variables["TMPDIR"] = Path.GetTempPath();
        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // An installed plugin's folder is checked against plugins.lock before each operation; byte-code caches
        // written into it would read as tampering (and the sandbox mounts it read-only anyway).
        variables["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var (name, value) in command.Environment)
        {
            variables[name] = value;
        }

        variables.Remove(PassphraseVariable);
        return variables.ToImmutable();
    }
}
