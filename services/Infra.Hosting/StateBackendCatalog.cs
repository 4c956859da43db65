using Infra.State;
using Infra.State.Postgres;
using Infra.State.Sqlite;

namespace Infra.Hosting;

/// <summary>The state backends every host can open: SQLite (the embedded default) and PostgreSQL.</summary>
public static class StateBackendCatalog
{
    /// <summary>The backend factories, chosen by the scheme of the backend URL.</summary>
    public static IReadOnlyList<IStateBackendFactory> All { get; } = [new SqliteStateBackendFactory(), new PostgresStateBackendFactory()];
}
