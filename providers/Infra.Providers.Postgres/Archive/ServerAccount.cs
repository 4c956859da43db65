using System.Diagnostics;
using System.Text;
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
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            // The postgres account may not enter the caller's folder (e.g. /root).
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ChildEnvironment.Apply(start);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InfraException($"could not start '{file}'.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InfraException($"could not start '{file}': {ex.Message}.", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
                process.StandardInput.Close();
            }

            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var text = await output.ConfigureAwait(false);
            var errors = await error.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var tool = arguments.Count > 3 && file == "runuser" ? Path.GetFileName(arguments[3]) : Path.GetFileName(file);
                var first = (errors + "\n" + text).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .FirstOrDefault(static l => !l.StartsWith("WARN:", StringComparison.Ordinal) && !l.StartsWith("HINT:", StringComparison.Ordinal)) ?? "no message";
                throw new InfraException($"{tool} failed (exit {process.ExitCode}): {ErrorText.Excerpt(first)}");
            }

            return text;
        }
    }
}
