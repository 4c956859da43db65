using System.Diagnostics;
using System.Globalization;
using Infra.Processes;
using Npgsql;

namespace Infra.Backups;

/// <summary>Who a tool logs in as, and where: the admin for dumps, the tenant's own role for restores.</summary>
/// <param name="Server">The admin connection: host, port and TLS settings.</param>
/// <param name="User">The role to log in as.</param>
/// <param name="Password">Its password, or <see langword="null"/> when the server does not ask for one.</param>
/// <param name="Database">The database to connect to.</param>
internal sealed record ToolLogin(NpgsqlConnectionStringBuilder Server, string User, string? Password, string Database)
{
    /// <summary>The admin, from the admin connection, in <paramref name="database"/>.</summary>
    public static ToolLogin Admin(NpgsqlConnectionStringBuilder server, string database) =>
        new(server, server.Username ?? Environment.UserName, server.Password, database);

    /// <summary>Keeps the password out of logs and exception messages.</summary>
    public override string ToString() => $"{User}@{Database}";
}

/// <summary>
/// Runs the real <c>pg_dump</c> and <c>pg_restore</c> (PostgreSQL 15 client tools, or those in
/// <c>INFRA_POSTGRES_BIN</c>) with the minimal <see cref="ChildEnvironment"/>. The password goes in a <c>0600</c>
/// <see cref="PassFile"/>, never on the command line or in the environment; every session pins <c>search_path</c>
/// in its startup packet (<c>PGOPTIONS</c>), as the provider's sessions do, so a setting the tenant made on its
/// database or role cannot make a tool's queries resolve to the tenant's functions.
/// </summary>
internal static class PostgresTools
{
    public const string BinVariable = "INFRA_POSTGRES_BIN";
    public const string DefaultBin = "/usr/lib/postgresql/15/bin";

    /// <summary>The startup options of every tool session: the same pinned search path as the provider's.</summary>
    public const string PinnedOptions = "-c search_path=pg_catalog,pg_temp";

    public static string PathOf(string tool)
    {
        var directory = Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } configured ? configured : DefaultBin;
        var path = Path.Combine(directory, tool);
        return File.Exists(path)
            ? path
            : throw new InfraException($"'{path}' does not exist; install the PostgreSQL 15 client tools or point {BinVariable} at their folder.");
    }

    /// <summary>Runs <paramref name="tool"/> without a connection (<c>--version</c>).</summary>
    public static Task<string> RunAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunCoreAsync(tool, arguments, new Dictionary<string, string>(), cancellationToken);

    /// <summary>Runs <paramref name="tool"/> logged in as <paramref name="login"/>; a non-zero exit is one line naming the tool and its first error.</summary>
    public static async Task<string> RunAsync(string tool, IEnumerable<string> arguments, ToolLogin login, CancellationToken cancellationToken)
    {
        var server = login.Server;
        using var passFile = login.Password is { } password ? PassFile.Write(login.User, password) : null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PGOPTIONS"] = PinnedOptions,
            ["PGAPPNAME"] = $"infra tenant {tool}",
            ["PGSSLMODE"] = server.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => "prefer",
            },
            // An empty file: a password file the user keeps in ~/.pgpass must not log a tool in as someone else.
            ["PGPASSFILE"] = passFile?.Path ?? "/dev/null",
        };
        if (server.RootCertificate is { Length: > 0 } rootCertificate)
        {
            environment["PGSSLROOTCERT"] = rootCertificate;
        }

        string[] connection =
        [
            "--host", Providers.Postgres.PostgresNames.HostOf(server),
            "--port", server.Port.ToString(CultureInfo.InvariantCulture),
            "--username", login.User,
            "--dbname", login.Database,
            "--no-password",
        ];
        return await RunCoreAsync(tool, [.. connection, .. arguments], environment, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> RunCoreAsync(
        string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
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

        ChildEnvironment.Apply(start, environment);
        using var process = Process.Start(start) ?? throw new InfraException($"cannot start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
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
            throw new InfraException($"{tool} failed (exit {process.ExitCode}): {ErrorText.Excerpt(first)}");
        }

        return await stdout.ConfigureAwait(false);
    }
}
