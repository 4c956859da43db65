using Infra.Automation;
using Infra.Configuration;
using Npgsql;

namespace Infra.State.Postgres;

/// <summary>
/// Stack settings in PostgreSQL, beside the state (<c>&lt;schema&gt;.stack_config</c>, one row per project and stack),
/// so every instance of a service sees the config another instance set. The text is the settings file's YAML, so
/// secure values stay encrypted exactly as in a file. Settings keep the path the file would have
/// (<see cref="ProjectFile.StackSettingsPath"/>) as their name in messages and to find files beside it
/// (<c>plans.yaml</c>).
/// </summary>
public sealed class PostgresStackConfigStore : IStackConfigStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ProjectFile _project;
    private readonly string _table;

    private PostgresStackConfigStore(NpgsqlDataSource dataSource, ProjectFile project, string schema, string displayUrl)
    {
        _dataSource = dataSource;
        _project = project;
        _table = $"\"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\".stack_config";
        DisplayName = $"{displayUrl} (stack_config)";
    }

    /// <inheritdoc/>
    public string DisplayName { get; }

    /// <summary>Opens the store in the database of the backend URL <paramref name="url"/>, creating its table if needed.</summary>
    /// <exception cref="InfraException">The URL is malformed or the server cannot be reached.</exception>
    public static async Task<PostgresStackConfigStore> OpenAsync(string url, ProjectFile project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var (connectionString, schema, display) = PostgresUrl.Parse(url);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgresStackConfigStore(dataSource, project, schema, display);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // The same lock as the state tables' creation: concurrent CREATE ... IF NOT EXISTS can collide in the catalogs.
            await using (var advisory = new NpgsqlCommand("SELECT pg_advisory_xact_lock(7243108)", connection, transaction))
            {
                await advisory.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var quotedSchema = store._table[..store._table.LastIndexOf('.')];
            await using (var command = new NpgsqlCommand(
                $"""
                CREATE SCHEMA IF NOT EXISTS {quotedSchema};
                CREATE TABLE IF NOT EXISTS {store._table} (
                    project TEXT NOT NULL,
                    stack TEXT NOT NULL,
                    settings TEXT NOT NULL,
                    updated TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (project, stack));
                """, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new InfraException($"config store {display}: {ex.Message}", ex);
        }

        return store;
    }

    /// <inheritdoc/>
    public StackSettingsFile Load(string stack)
    {
        var path = _project.StackSettingsPath(stack);
        using var command = Command($"SELECT settings FROM {_table} WHERE project = $1 AND stack = $2", stack);
        return command.ExecuteScalar() is string text ? StackSettingsFile.Parse(text, path) : new StackSettingsFile { Path = path };
    }

    /// <inheritdoc/>
    public void Save(string stack, StackSettingsFile settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = settings.ToYaml();
        using var command = Command(
            $"INSERT INTO {_table} (project, stack, settings, updated) VALUES ($1, $2, $3, now()) " +
            "ON CONFLICT (project, stack) DO UPDATE SET settings = excluded.settings, updated = now()", stack);
        command.Parameters.Add(new NpgsqlParameter { Value = text });
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Delete(string stack)
    {
        using var command = Command($"DELETE FROM {_table} WHERE project = $1 AND stack = $2", stack);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public bool Exists(string stack)
    {
        using var command = Command($"SELECT 1 FROM {_table} WHERE project = $1 AND stack = $2", stack);
        return command.ExecuteScalar() is not null;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private NpgsqlCommand Command(string sql, string stack)
    {
        // Config is read from synchronous engine paths (StackConfig is built synchronously); Npgsql's sync API is real.
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = _project.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = stack });
        return command;
    }
}
