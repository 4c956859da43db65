using Infra.TestSupport;

namespace Infra.Tenants.Tests.Support;

/// <summary>
/// Every test here shares one real PostgreSQL 15 and runs one after another: the tests count sessions and
/// connections on the server, which concurrent tests would disturb.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
