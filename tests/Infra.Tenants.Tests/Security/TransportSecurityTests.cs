using Infra.Components.Database;
using Infra.Providers.Postgres;
using Infra.TestSupport;
using Npgsql;
using static Infra.Tenants.Tests.Support.ProviderHarness;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// The admin connection and the tenant's connection string cross the network to any host but this one, so they
/// default to TLS there; <c>verify-full</c> also proves the server is the one whose certificate the operator's CA signed.
/// </summary>
public class TransportSecurityTests(TlsPostgresFixture fixture) : IClassFixture<TlsPostgresFixture>
{
    [Theory]
    [InlineData("Host=db.internal;Username=admin", SslMode.Require)]
    [InlineData("postgres://admin@10.20.0.15:5432/postgres", SslMode.Require)]
    [InlineData("Host=db.internal;Username=admin;SSL Mode=VerifyFull", SslMode.VerifyFull)]
    [InlineData("host=db.internal;username=admin;sslmode=disable", SslMode.Disable)]
    [InlineData("Host=127.0.0.1,db.internal;Username=admin", SslMode.Require)]
    [InlineData("postgres://admin@db.internal/postgres?sslmode=disable", SslMode.Disable)]
    [InlineData("Host=127.0.0.1;Username=admin", SslMode.Prefer)]
    [InlineData("postgres://admin@localhost/postgres", SslMode.Prefer)]
    [InlineData("postgres://admin@[::1]:5432/postgres", SslMode.Prefer)]
    public void A_host_other_than_loopback_defaults_to_sslmode_require(string connection, SslMode expected)
    {
        Assert.Equal(expected, PostgresNames.ParseConnectionString(connection).SslMode);
    }

    [Fact]
    public void A_tenants_connection_string_asks_for_tls_unless_the_server_is_on_loopback()
    {
        Assert.EndsWith("@db.internal:5432/tenant_acme?sslmode=require", ConnectionStrings.Url("db.internal", 5432, "tenant_acme", "tenant_acme", "pw"), StringComparison.Ordinal);
        Assert.EndsWith("@127.0.0.1:5432/tenant_acme", ConnectionStrings.Url("127.0.0.1", 5432, "tenant_acme", "tenant_acme", "pw"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_connects_with_verify_full_to_the_server_its_ca_signed()
    {
        var server = fixture.Server;
        var role = Support.Sql.Unique("tls_");
        var url = $"postgres://postgres@localhost:{server.Port}/postgres?sslmode=verify-full&sslrootcert={Uri.EscapeDataString(fixture.CaCertificate)}";
        await using var provider = Create(url);

        await provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", role)));

        Assert.True(await Support.Sql.RoleExistsAsync(server, role));
        var encrypted = await Support.Sql.ScalarAsync<long>(server,
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name LIKE 'infra%' AND s.ssl");
        Assert.True(encrypted > 0, "the provider's connection is not encrypted");
    }

    [Fact]
    public async Task Verify_full_refuses_a_server_that_another_ca_signed()
    {
        var server = fixture.Server;
        var role = Support.Sql.Unique("tls_");
        var url = $"postgres://postgres@localhost:{server.Port}/postgres?sslmode=verify-full&sslrootcert={Uri.EscapeDataString(fixture.OtherCaCertificate)}";
        await using var provider = Create(url, maxRetries: 0);

        var error = await Assert.ThrowsAsync<ResourceException>(() => provider.CheckAndCreateAsync(PostgresTypes.Role, Map(("name", role))));

        Assert.Contains("cannot reach postgres", error.Reason, StringComparison.Ordinal);
        Assert.True(error.Reason.Contains("certificate", StringComparison.OrdinalIgnoreCase), error.Reason);
        Assert.False(await Support.Sql.RoleExistsAsync(server, role));
    }
}

/// <summary>
/// A PostgreSQL of its own with <c>ssl=on</c>, its certificate (for <c>localhost</c> and 127.0.0.1) signed by a CA that
/// the fixture makes with openssl, and a second CA that signed nothing the server holds.
/// </summary>
public sealed class TlsPostgresFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "infra-tls-" + Guid.NewGuid().ToString("N")[..12]);
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public string CaCertificate => Path.Combine(_folder, "ca.crt");

    public string OtherCaCertificate => Path.Combine(_folder, "other-ca.crt");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=infra test CA", "-keyout", "ca.key", "-out", "ca.crt");
        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=someone else", "-keyout", "other-ca.key", "-out", "other-ca.crt");
        await OpenSslAsync("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
        await File.WriteAllTextAsync(Path.Combine(_folder, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        await OpenSslAsync("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt");
        _server = await PostgresServer.StartOwnAsync(["ssl=on"], new Dictionary<string, string>
        {
            ["server.crt"] = await File.ReadAllTextAsync(Path.Combine(_folder, "server.crt")),
            ["server.key"] = await File.ReadAllTextAsync(Path.Combine(_folder, "server.key")),
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private async Task OpenSslAsync(params string[] arguments)
    {
        var result = await RepositoryTools.RunAsync("openssl", _folder, arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {result.Error}");
    }
}
