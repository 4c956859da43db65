using Infra.TestSupport;
using Npgsql;

namespace Infra.Tenants.Tests.Support;

/// <summary>Plain SQL against the test server, as an operator with psql would run it.</summary>
public static class Sql
{
    public static async Task ExecuteAsync(string connectionString, params string[] statements)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static Task<T> ScalarAsync<T>(PostgresServer server, string sql, params object[] parameters) =>
        ScalarAsync<T>(server.ConnectionString(), sql, parameters);

    public static Task ExecuteAsync(PostgresServer server, params string[] statements) => ExecuteAsync(server.ConnectionString(), statements);

    /// <summary>Connects as <paramref name="user"/>; returns the SQLSTATE of the failure, or null when the connection works.</summary>
    public static async Task<string?> TryConnectAsync(PostgresServer server, string database, string user, string? password)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = server.Host,
            Port = server.Port,
            Database = database,
            Username = user,
            Password = password,
            Pooling = false,
        };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
            return null;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }

    public static Task<bool> RoleExistsAsync(PostgresServer server, string role) =>
        ScalarAsync<bool>(server, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", role);

    public static Task<bool> DatabaseExistsAsync(PostgresServer server, string database) =>
        ScalarAsync<bool>(server, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", database);

    /// <summary>A unique lowercase suffix for names, so tests on one server never collide.</summary>
    /// <summary>Removes a fixed-id tenant's database and role left by an earlier run on a shared server (or by a protected plan).</summary>
    public static Task DropTenantAsync(PostgresServer server, string id) => ExecuteAsync(server,
        $"DROP DATABASE IF EXISTS \"tenant_{id}\" WITH (FORCE)", $"DROP ROLE IF EXISTS \"tenant_{id}\"", $"DROP ROLE IF EXISTS \"tenant_{id}_owner\"");

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)];
}
