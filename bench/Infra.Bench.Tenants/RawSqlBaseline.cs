using System.Security.Cryptography;
using Infra.Providers.Postgres.Sql;
using Npgsql;

namespace Infra.Bench.Tenants;

/// <summary>
/// What the tenant stack does, as the fewest statements a person would write by hand: one admin connection for
/// the cluster-wide objects and (unavoidably) one connection to the new database for its schema. The password is
/// generated and hashed to a SCRAM verifier the same way, so the comparison is about orchestration, not crypto.
/// </summary>
internal static class RawSqlBaseline
{
    public static async Task ProvisionAsync(NpgsqlConnection admin, string adminConnectionString, string id, int connectionLimit)
    {
        var name = Identifiers.Quote($"tenant_{id}");
        var owner = Identifiers.Quote($"tenant_{id}_owner");
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        string[] statements =
        [
            $"CREATE ROLE {owner} WITH NOLOGIN",
            $"CREATE ROLE {name} WITH LOGIN INHERIT CONNECTION LIMIT {connectionLimit} PASSWORD {Identifiers.Literal(ScramVerifier.Create(password))}",
            $"CREATE DATABASE {name} OWNER {owner} ENCODING 'UTF8' CONNECTION LIMIT {connectionLimit}",
            $"REVOKE CONNECT, TEMPORARY ON DATABASE {name} FROM PUBLIC",
            $"GRANT CONNECT, TEMPORARY ON DATABASE {name} TO {name}",
        ];
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync();
        }

        await using var source = Open(new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = $"tenant_{id}" }.ConnectionString);
        await using var tenant = await source.OpenConnectionAsync();
        await using var schema = new NpgsqlCommand($"CREATE SCHEMA app AUTHORIZATION {name}", tenant);
        await schema.ExecuteNonQueryAsync();
    }

    /// <summary>An unpooled source without Npgsql's type loading, as the provider opens its connections.</summary>
    public static NpgsqlDataSource Open(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        builder.ConfigureTypeLoading(static options => options.EnableTypeLoading(false));
        return builder.Build();
    }
}
