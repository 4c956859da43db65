using System.Diagnostics;
using Npgsql;

namespace Infra.Backups;

/// <summary>
/// Runs the real <c>pg_dump</c> and <c>pg_restore</c> (PostgreSQL 15 client tools, or those in
/// <c>INFRA_POSTGRES_BIN</c>). The password goes in <c>PGPASSWORD</c>, never on the command line, where any user
/// on the machine could read it.
/// </summary>
internal static class PostgresTools
{
    public const string BinVariable = "INFRA_POSTGRES_BIN";
    public const string DefaultBin = "/usr/lib/postgresql/15/bin";

    public static string PathOf(string tool)
    {
        var directory = Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } configured ? configured : DefaultBin;
        var path = Path.Combine(directory, tool);
        return File.Exists(path)
            ? path
            : throw new InfraException($"'{path}' does not exist; install the PostgreSQL 15 client tools or point {BinVariable} at their folder.");
    }

    /// <summary>The connection options every tool takes, from the admin connection, for <paramref name="database"/>.</summary>
    public static List<string> ConnectionArguments(NpgsqlConnectionStringBuilder admin, string host, string database) =>
    [
        "--host", host,
        "--port", admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--username", admin.Username ?? Environment.UserName,
        "--dbname", database,
        "--no-password",
    ];

    /// <summary>Runs <paramref name="tool"/>; a non-zero exit is one line naming the tool and its first error.</summary>
    public static async Task<string> RunAsync(string tool, IEnumerable<string> arguments, NpgsqlConnectionStringBuilder admin, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(PathOf(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("PGPASSWORD");
        if (admin.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        start.Environment["PGSSLMODE"] = admin.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        start.Environment["PGAPPNAME"] = $"infra tenant {tool}";
        using var process = Process.Start(start) ?? throw new InfraException($"cannot start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var first = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
            throw new InfraException($"{tool} failed (exit {process.ExitCode}): {first}");
        }

        return await stdout.ConfigureAwait(false);
    }
}
