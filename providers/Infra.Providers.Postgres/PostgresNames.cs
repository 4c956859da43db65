using Infra.Providers.Postgres.Connection;
using Infra.Providers.Postgres.Sql;
using Npgsql;

namespace Infra.Providers.Postgres;

/// <summary>The provider's name rules and connection parsing, for tools that work beside it (tenant backup and restore).</summary>
public static class PostgresNames
{
    /// <summary>Returns why <paramref name="name"/> cannot name a <paramref name="what"/> (e.g. "database"), or <see langword="null"/>.</summary>
    public static string? Problem(string what, string? name) => Identifiers.Problem(what, name);

    /// <summary>Quotes an identifier for SQL; validate it with <see cref="Problem"/> first.</summary>
    public static string Quote(string name) => Identifiers.Quote(name);

    /// <summary>The search path every admin session pins in its startup packet: the catalog, then the session's temporary schema.</summary>
    public const string PinnedSearchPath = PostgresConnector.PinnedSearchPath;

    /// <summary>Parses <c>postgres:connectionString</c>: an Npgsql connection string or a <c>postgres://</c> URL.</summary>
    /// <exception cref="InfraException">It is neither; the message does not repeat it (it holds a password).</exception>
    public static NpgsqlConnectionStringBuilder ParseConnectionString(string text) => ConnectionSettings.Parse(text);

    /// <summary>What is wrong with the shape of <c>postgres:connectionString</c>, or <see langword="null"/>; never repeats the text.</summary>
    public static string? ConnectionStringProblem(string text) => ConnectionSettings.Problem(text);

    /// <summary>True when <paramref name="host"/> is this machine (localhost, a loopback address or a socket folder): no TLS needed.</summary>
    public static bool IsLocal(string? host) => ConnectionSettings.IsLocal(host);

    /// <summary>The first host of a connection (a connection string may list several).</summary>
    public static string HostOf(NpgsqlConnectionStringBuilder builder) => ConnectionSettings.FirstHost(builder);
}
