using System.Net.Sockets;
using Npgsql;

namespace Infra.Providers.Postgres.Connection;

/// <summary>Which failures are worth retrying: the server is restarting, full, or the network dropped.</summary>
internal static class TransientErrors
{
    /// <summary>
    /// SQLSTATEs that mean "try again later": too many connections (53300), cannot connect now (57P03, a server
    /// starting up), admin/crash shutdown (57P01, 57P02), connection failures (08xxx), out of resources (53000),
    /// and serialization failures and deadlocks (40001, 40P01) whose transaction rolled back as a whole.
    /// </summary>
    private static readonly HashSet<string> s_states = new(StringComparer.Ordinal)
    {
        "53300", "53000", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006", "40001", "40P01",
    };

    /// <summary>True when <paramref name="exception"/> is transient. Authentication, permission and SQL errors are not.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => s_states.Contains(postgres.SqlState),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };
}
