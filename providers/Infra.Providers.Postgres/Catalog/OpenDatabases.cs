using System.Collections.Immutable;
using Infra.Providers.Postgres.Connection;
using Npgsql;

namespace Infra.Providers.Postgres.Catalog;

/// <summary>
/// The databases on the server that every role may connect to (CONNECT granted to PUBLIC, as PostgreSQL does for
/// every new database, <c>postgres</c> and <c>template1</c> included), read once per provider instance. A database's
/// own grants cannot keep its login roles out of those; only a server-wide revoke does.
/// </summary>
internal sealed class OpenDatabases(PostgresConnector connector)
{
    private const int Named = 5;

    private const string Query = """
        SELECT d.datname FROM pg_catalog.pg_database d
        WHERE d.datallowconn AND pg_catalog.has_database_privilege('public', d.oid, 'CONNECT')
        """;

    private readonly Lazy<Task<(ImmutableArray<string> Names, string? Problem)>> _open = new(() => LoadAsync(connector));

    /// <summary>
    /// A warning when databases other than <paramref name="declared"/> are open to every role, or when that cannot be
    /// told; <see langword="null"/> when none is. Never throws: a preview must not fail because the server is away.
    /// </summary>
    public async Task<string?> WarningAsync(string declared)
    {
        var (names, problem) = await _open.Value.ConfigureAwait(false);
        if (problem is not null)
        {
            return $"cannot tell whether other databases on the server are closed to this database's roles: {problem}";
        }

        // PostgreSQL's own databases first: every server has them, so they are what a tenant tries first.
        var others = names.Where(n => n != declared).OrderBy(static n => n is "postgres" or "template1" ? 0 : 1).ThenBy(static n => n, StringComparer.Ordinal).ToList();
        if (others.Count == 0)
        {
            return null;
        }

        var shown = string.Join(", ", others.Take(Named).Select(static n => $"'{n}'")) + (others.Count > Named ? $" and {others.Count - Named} more" : string.Empty);
        return $"every role on the server may connect to {shown} (CONNECT is granted to PUBLIC), so this database's login roles can too. " +
               $"Revoke it with a {PostgresTypes.Revoke} {{ role: PUBLIC, database: <name>, privileges: [CONNECT] }} for each; " +
               "the platform stack declares them for postgres, template1 and the state database.";
    }

    private static async Task<(ImmutableArray<string>, string?)> LoadAsync(PostgresConnector connector)
    {
        try
        {
            var names = await connector.RunOnceAsync(connector.AdminDatabase, static async (connection, token) =>
            {
                var command = new NpgsqlCommand(Query, connection);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var list = ImmutableArray.CreateBuilder<string>();
                        while (await reader.ReadAsync(token).ConfigureAwait(false))
                        {
                            list.Add(reader.GetString(0));
                        }

                        return list.ToImmutable();
                    }
                }
            }, CancellationToken.None).ConfigureAwait(false);
            return (names, null);
        }
        catch (PostgresException ex)
        {
            return ([], $"{ex.MessageText} (SQLSTATE {ex.SqlState})");
        }
        catch (Exception ex) when (ex is NpgsqlException or InfraException)
        {
            return ([], ex.Message);
        }
    }
}
