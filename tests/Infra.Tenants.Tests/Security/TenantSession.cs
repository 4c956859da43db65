using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Npgsql;

namespace Infra.Tenants.Tests.Security;

/// <summary>
/// What a hostile tenant holds: the credentials its stack exported. Attacks log in as the tenant's role with its
/// password (the test server checks passwords for every role but the admin), never as the admin.
/// </summary>
public sealed record TenantSession(PostgresServer Server, string Role, string Password, string Database)
{
    /// <summary>Reads the credentials from the tenant stack's outputs.</summary>
    public static async Task<TenantSession> OfAsync(TenantProject project, string stack)
    {
        var outputs = await project.OutputsAsync(stack);
        return new TenantSession(project.Server, outputs.GetProperty("databaseUser").GetString()!, outputs.GetProperty("databasePassword").GetString()!,
            outputs.GetProperty("databaseName").GetString()!);
    }

    /// <summary>A connection string for the tenant's role, to its own database or <paramref name="database"/>.</summary>
    public string ConnectionString(string? database = null) => new NpgsqlConnectionStringBuilder
    {
        Host = Server.Host,
        Port = Server.Port,
        Username = Role,
        Password = Password,
        Database = database ?? Database,
        Pooling = false,
    }.ConnectionString;

    /// <summary>Runs statements as the tenant, in its own database.</summary>
    public Task ExecuteAsync(params string[] statements) => Sql.ExecuteAsync(ConnectionString(), statements);

    /// <summary>Runs one statement as the tenant; returns the SQLSTATE it failed with, or null when it succeeded.</summary>
    public async Task<string?> TryExecuteAsync(string statement)
    {
        try
        {
            await ExecuteAsync(statement);
            return null;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }

    /// <summary>Whether the server now treats the tenant's role as a superuser.</summary>
    public Task<bool> IsSuperuserAsync() => Sql.ScalarAsync<bool>(Server, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = $1", Role);
}
