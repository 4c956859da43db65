using System.Globalization;

namespace Infra.Components.Database;

/// <summary>The connection string format tenants get: a libpq URL, which most drivers accept.</summary>
public static class ConnectionStrings
{
    /// <summary><c>postgresql://user:password@host:port/database</c>, every part escaped.</summary>
    public static string Url(string host, int port, string database, string user, string password) =>
        string.Create(CultureInfo.InvariantCulture,
            $"postgresql://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}/{Uri.EscapeDataString(database)}");
}
