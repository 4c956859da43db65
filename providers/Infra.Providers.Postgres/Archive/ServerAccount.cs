using Infra.Processes;

namespace Infra.Providers.Postgres.Archive;

/// <summary>
/// Runs the tools that work on a server's files (pgBackRest, <c>pg_ctl</c>) as the operating-system account that owns
/// its data directory, as PostgreSQL requires: through <c>runuser</c> when this process is root, directly otherwise.
/// Each tool gets the minimal <see cref="ChildEnvironment"/>, never the engine's secrets.
/// </summary>
public static class ServerAccount
{
    /// <summary>The account that owns <paramref name="path"/> (<c>stat -c %U</c>).</summary>
    /// <exception cref="InfraException">The path cannot be read.</exception>
    public static async Task<string> OwnerOfAsync(string path, CancellationToken cancellationToken) =>
        (await RunCoreAsync("stat", ["-c", "%U", path], input: null, cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>Runs <paramref name="file"/> as <paramref name="account"/>; a non-zero exit is one line naming the tool and its first error.</summary>
    /// <exception cref="InfraException">The tool is missing or failed.</exception>
    public static Task<string> RunAsync(string account, string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(account, file, arguments, input: null, cancellationToken);

    /// <summary>Runs <paramref name="file"/> as <paramref name="account"/> with <paramref name="input"/> on its standard input.</summary>
    /// <exception cref="InfraException">The tool is missing or failed.</exception>
    public static Task<string> RunAsync(string account, string file, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        var asOther = Environment.UserName == "root" && account != "root";
        return asOther
            ? RunCoreAsync("runuser", ["-u", account, "--", file, .. arguments], input, cancellationToken)
            : RunCoreAsync(file, arguments, input, cancellationToken);
    }

    private static async Task<string> RunCoreAsync(string file, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        // The postgres account may not enter the caller's folder (e.g. /root), so the tool starts in '/'.
        var result = await ExternalProcess.RunAsync(file, arguments, workingDirectory: "/", environment: null, cancellationToken, input: input)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var tool = arguments.Count > 3 && file == "runuser" ? Path.GetFileName(arguments[3]) : Path.GetFileName(file);
            var first = (result.Error + "\n" + result.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(static l => !l.StartsWith("WARN:", StringComparison.Ordinal) && !l.StartsWith("HINT:", StringComparison.Ordinal)) ?? "no message";
            throw new InfraException($"{tool} failed (exit {result.ExitCode}): {ErrorText.Excerpt(first)}");
        }

        return result.Output;
    }
}
