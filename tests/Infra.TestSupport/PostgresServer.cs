using System.Diagnostics;
using Npgsql;
using Xunit;

namespace Infra.TestSupport;

/// <summary>
/// A real PostgreSQL 15 for tests. When <c>INFRA_TEST_POSTGRES_URL</c> names a running server (as scripts/test.sh
/// does), that one is used; otherwise a throwaway cluster is created with initdb in a temporary folder and started
/// on 127.0.0.1 with a free port, and removed on dispose. initdb and pg_ctl refuse root, so as root they run through
/// <c>runuser -u postgres</c>. Either way authentication is <c>scripts/postgres-hba.conf</c>: the <c>postgres</c>
/// admin is trusted on 127.0.0.1, every other role must give its password.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string UrlVariable = "INFRA_TEST_POSTGRES_URL";
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string? _dataDirectory;

    private PostgresServer(string host, int port, string user, string? password, string? dataDirectory)
    {
        Host = host;
        Port = port;
        User = user;
        Password = password;
        _dataDirectory = dataDirectory;
    }

    public string Host { get; }

    public int Port { get; }

    public string User { get; }

    public string? Password { get; }

    /// <summary>An Npgsql connection string for the admin user, to database <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    /// <summary>A postgres:// URL for the admin user, to database <paramref name="database"/>.</summary>
    public string Url(string database = "postgres") =>
        $"postgres://{Uri.EscapeDataString(User)}{(Password is null ? string.Empty : ":" + Uri.EscapeDataString(Password))}@{Host}:{Port}/{database}";

    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } url)
        {
            var uri = new Uri(url);
            var parts = uri.UserInfo.Split(':', 2);
            return new PostgresServer(uri.Host, uri.Port > 0 ? uri.Port : 5432, Uri.UnescapeDataString(parts[0]),
                parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null, dataDirectory: null);
        }

        return await StartOwnAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a cluster of the test's own even when <c>INFRA_TEST_POSTGRES_URL</c> is set: for tests that change
    /// server-wide settings (which would disturb every other test on a shared server) or need a server set up
    /// differently. <paramref name="settings"/> are extra <c>-c name=value</c> options; <paramref name="files"/> are
    /// written into the data directory before start (e.g. <c>server.crt</c> and <c>server.key</c> for <c>ssl=on</c>),
    /// readable by the server only.
    /// </summary>
    public static async Task<PostgresServer> StartOwnAsync(IEnumerable<string>? settings = null, IReadOnlyDictionary<string, string>? files = null)
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb is missing); run scripts/install.sh or set {UrlVariable}.");
        }

        var directory = Path.Combine(Path.GetTempPath(), "infra-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var port = LoopbackPort.Free();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"postgres:postgres {directory}").ConfigureAwait(false);
        }

        await RunPostgresToolAsync(asRoot, "initdb", $"-D {directory}/data -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8").ConfigureAwait(false);
        var data = Path.Combine(directory, "data");
        await WriteServerFileAsync(asRoot, Path.Combine(data, "pg_hba.conf"), await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "scripts", "postgres-hba.conf")).ConfigureAwait(false))
            .ConfigureAwait(false);
        foreach (var (name, content) in files ?? new Dictionary<string, string>())
        {
            await WriteServerFileAsync(asRoot, Path.Combine(data, name), content).ConfigureAwait(false);
        }

        var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" +
                      string.Concat((settings ?? []).Select(static s => $" -c {s}"));
        await RunPostgresToolAsync(asRoot, "pg_ctl", $"-D {data} -l {directory}/log -o \"{options}\" -w -t 60 start").ConfigureAwait(false);
        return new PostgresServer("127.0.0.1", port, "postgres", null, directory);
    }

    /// <summary>Restarts a server this test started itself (fast shutdown: every connection is dropped), waiting until it answers again.</summary>
    public async Task RestartAsync()
    {
        if (_dataDirectory is null)
        {
            throw new InvalidOperationException($"only a server of the test's own (StartOwnAsync) can be restarted; this one is shared through {UrlVariable}.");
        }

        var options = $"-p {Port} -k {_dataDirectory} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        await RunPostgresToolAsync(Environment.UserName == "root", "pg_ctl", $"-D {_dataDirectory}/data -l {_dataDirectory}/log -o \"{options}\" -m fast -w -t 60 restart")
            .ConfigureAwait(false);
    }

    /// <summary>Creates an empty database with a unique name and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataDirectory is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunPostgresToolAsync(Environment.UserName == "root", "pg_ctl", $"-D {_dataDirectory}/data -m immediate -w stop").ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>Writes a file the server reads, owned by the server's user and readable by it only (a key must be 0600).</summary>
    private static async Task WriteServerFileAsync(bool asRoot, string path, string content)
    {
        await File.WriteAllTextAsync(path, content).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        if (asRoot)
        {
            await RunAsync("chown", $"postgres:postgres {path}").ConfigureAwait(false);
        }
    }

    private static Task RunPostgresToolAsync(bool asRoot, string tool, string arguments) =>
        asRoot
            ? RunAsync("runuser", $"-u postgres -- {BinDirectory}/{tool} {arguments}")
            : RunAsync($"{BinDirectory}/{tool}", arguments);

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }

}

/// <summary>One PostgreSQL server shared by every test in a collection.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture is not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
