using Infra.TestSupport;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// A PostgreSQL of the test class's own, never the shared one: the tests change server-wide grants (who may connect to
/// <c>postgres</c> and <c>template1</c>), which would disturb every other test on a shared server.
/// </summary>
public sealed class OwnPostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartOwnAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
