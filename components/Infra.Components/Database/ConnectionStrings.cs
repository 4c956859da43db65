using System.Globalization;
using Infra.Providers.Postgres;

namespace Infra.Components.Database;

/// <summary>The connection string format tenants get: a libpq URL, which most drivers accept.</summary>
public static class ConnectionStrings
{
    /// <summary>
    /// <c>postgresql://user:password@host:port/database</c>, every part escaped, with <c>?sslmode=require</c> unless the
    /// server is on this machine, so the tenant's password never crosses a network in clear. (<c>verify-full</c> needs
    /// the server's CA where the application runs; a tenant that has it sets the mode itself.)
    /// </summary>
    public static string Url(string host, int port, string database, string user, string password)
    {
        var tls = PostgresNames.IsLocal(host) ? string.Empty : "?sslmode=require";
        return string.Create(CultureInfo.InvariantCulture,
            $"postgresql://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}/{Uri.EscapeDataString(database)}{tls}");
    }
}
