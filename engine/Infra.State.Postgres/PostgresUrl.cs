using System.Text.RegularExpressions;
using Npgsql;

namespace Infra.State.Postgres;

/// <summary>Parses <c>postgres://user:password@host:port/database?schema=name&amp;sslmode=...</c> URLs.</summary>
public static partial class PostgresUrl
{
    /// <summary>Converts a URL into an Npgsql connection string, a schema name and a password-free display form.</summary>
    /// <exception cref="InfraException">The URL is malformed.</exception>
    public static (string ConnectionString, string Schema, string DisplayUrl) Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new InfraException($"'{StateBackends.Redact(url)}' is not a PostgreSQL URL; expected postgres://user:password@host:port/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            MaxPoolSize = 20,
        };
        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new InfraException($"'{StateBackends.Redact(url)}' names no database; add '/<database>' after the host.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        var schema = "infra";
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            switch (key)
            {
                case "schema":
                    if (!SchemaName().IsMatch(value))
                    {
                        throw new InfraException($"schema {ErrorText.Quote(value)} in the backend URL is not a valid name (letters, digits and '_').");
                    }

                    schema = value;
                    break;
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(value, ignoreCase: true);
                    break;
                default:
                    try
                    {
                        builder[key] = value;
                    }
                    catch (ArgumentException)
                    {
                        throw new InfraException($"unknown option {ErrorText.Quote(key)} in the backend URL.");
                    }

                    break;
            }
        }

        return (builder.ConnectionString, schema, StateBackends.Redact(url));
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,62}\z")]
    private static partial Regex SchemaName();
}
