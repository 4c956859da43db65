using System.Data.Common;

namespace Infra.State.Sql;

/// <summary>
/// One connection lent to one call of a <see cref="SqlStateBackend"/>, with the commands that call runs on it. A
/// command belongs to the session: the same statement asked for again is the same command, rebound, so a driver that
/// prepares statements per command parses each statement once per session rather than at every use.
/// </summary>
/// <remarks>
/// Without <paramref name="release"/>, disposing the session closes its connection and its commands, which suits a
/// driver that pools connections and prepares statements itself. A backend that keeps its own open connections passes
/// <paramref name="release"/> to take the session back, with its commands, for the next call.
/// </remarks>
/// <param name="connection">An open connection, ready for use; the session owns it.</param>
/// <param name="release">What disposing the session does instead of <see cref="CloseAsync"/>.</param>
public sealed class SqlSession(DbConnection connection, Func<SqlSession, ValueTask>? release = null) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>The session's connection.</summary>
    public DbConnection Connection { get; } = connection;

    /// <summary>How many distinct statements this session has made commands for (and so parsed, where the driver parses per command).</summary>
    public int CommandCount => _commands.Count;

    /// <summary>
    /// The command for <paramref name="sql"/> in <paramref name="transaction"/>, bound to <paramref name="parameters"/>.
    /// It belongs to the session: callers dispose its readers, never the command.
    /// </summary>
    public DbCommand Command(DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        Bind(command, parameters);
        return command;
    }

    /// <summary>Gives the session back to its backend, or closes it when the backend keeps no sessions.</summary>
    public ValueTask DisposeAsync() => release is null ? CloseAsync() : release(this);

    /// <summary>Disposes the commands, then the connection.</summary>
    public async ValueTask CloseAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        _commands.Clear();
        await Connection.DisposeAsync().ConfigureAwait(false);
    }

    // A statement is nearly always asked for with the same parameter names in the same order: then only values change.
    private static void Bind(DbCommand command, (string Name, object? Value)[] parameters)
    {
        var existing = command.Parameters;
        var same = existing.Count == parameters.Length;
        for (var i = 0; same && i < parameters.Length; i++)
        {
            same = string.Equals(existing[i].ParameterName, parameters[i].Name, StringComparison.Ordinal);
        }

        if (same)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                existing[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return;
        }

        existing.Clear();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            existing.Add(parameter);
        }
    }
}
