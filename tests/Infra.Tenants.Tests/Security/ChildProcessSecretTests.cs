using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// Every tool the platform starts (pg_dump, pg_restore, git, helm) is replaced by a wrapper that writes down its
/// command line and environment, as anyone on the machine could read them from <c>ps</c> and
/// <c>/proc/&lt;pid&gt;/environ</c>, then runs the real tool. None of the secrets the CLI holds may appear there.
/// </summary>
[Collection(PostgresCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ChildProcessSecretTests(PostgresFixture fixture) : IDisposable
{
    private const string AdminPassword = "admin-password-canary-7f3a";
    private const string Canary = "cloud-credential-canary-91c2";
    private readonly string _wrappers = Directory.CreateTempSubdirectory("infra-wrappers-").FullName;

    private PostgresServer Server => fixture.Server;

    private string Log => Path.Combine(_wrappers, "calls.log");

    [Fact]
    public async Task Tools_never_see_the_passphrase_a_password_or_other_secrets_in_their_arguments_or_environment()
    {
        // The admin is trusted on this server, so the password is never checked, but it is in the connection string
        // and would travel wherever the tools' login does.
        var admin = new NpgsqlConnectionStringBuilder(Server.ConnectionString()) { Password = AdminPassword }.ConnectionString;
        using var project = new TenantProject(Server, admin);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id);
        WrapTools(project.Cli.Environment);
        Assert.Equal(0, (await project.UpAsync(stack)).ExitCode);
        var tenantPassword = (await TenantSession.OfAsync(project, stack)).Password;
        var dump = (await project.Cli.RunOkAsync("tenant", "backup", "-s", stack)).Stdout.TrimEnd().Split('\n')[^1];
        await project.Cli.RunOkAsync("tenant", "restore", "-s", stack, "--from", dump);

        var calls = (await File.ReadAllTextAsync(Log)).Split("\n=== ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(calls, c => c.StartsWith("pg_dump", StringComparison.Ordinal) && c.Contains("--dbname", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("pg_restore", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("git", StringComparison.Ordinal));
        foreach (var secret in new[] { CliProject.Passphrase, AdminPassword, tenantPassword, Canary })
        {
            Assert.DoesNotContain(calls, c => c.Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(calls, c => c.Contains("INFRA_CONFIG_PASSPHRASE", StringComparison.Ordinal) || c.Contains("PGPASSWORD=", StringComparison.Ordinal));
        foreach (var call in calls.Where(c => c.Contains("--dbname", StringComparison.Ordinal)))
        {
            // The password is in a file only the tool's user can read, and every session pins its search path.
            Assert.Contains("passfile-mode=600", call, StringComparison.Ordinal);
            Assert.Contains("PGOPTIONS=-c search_path=pg_catalog,pg_temp", call, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_wrappers, recursive: true);

    /// <summary>Puts wrappers for the PostgreSQL tools in INFRA_POSTGRES_BIN and for git and helm first on the PATH.</summary>
    private void WrapTools(Dictionary<string, string?> environment)
    {
        var helm = Path.Combine(RepositoryPaths.Root, ".tools", "bin", "helm");
        var tools = new Dictionary<string, string>
        {
            ["pg_dump"] = "/usr/lib/postgresql/15/bin/pg_dump",
            ["pg_restore"] = "/usr/lib/postgresql/15/bin/pg_restore",
            ["git"] = Which("git"),
            ["helm"] = File.Exists(helm) ? helm : Which("helm"),
        };
        foreach (var (name, real) in tools)
        {
            var script = Path.Combine(_wrappers, name);
            File.WriteAllText(script, $$"""
                #!/bin/sh
                {
                  printf '\n=== {{name}}'; for a in "$@"; do printf ' %s' "$a"; done; printf '\n'
                  env
                  if [ -n "$PGPASSFILE" ] && [ -f "$PGPASSFILE" ]; then echo "passfile-mode=$(stat -c %a "$PGPASSFILE")"; fi
                } >> '{{Log}}'
                exec '{{real}}' "$@"
                """);
            File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        }

        environment["INFRA_POSTGRES_BIN"] = _wrappers;
        environment["PATH"] = _wrappers + ":" + Environment.GetEnvironmentVariable("PATH");
        environment["AWS_SECRET_ACCESS_KEY"] = Canary;
        environment["PGPASSWORD"] = Canary;
    }

    private static string Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists) ?? tool;
}
