using Npgsql;

namespace Infra.Providers.Postgres.Connection;

/// <summary>
/// The admin connection from <c>postgres:connectionString</c>: either an Npgsql connection string
/// (<c>Host=db;Username=admin;Password=…</c>) or a URL (<c>postgres://admin:…@db:5432/postgres?sslmode=require</c>).
/// </summary>
internal static class ConnectionSettings
{
    /// <summary>Parses the admin connection string.</summary>
    /// <exception cref="InfraException">It is neither a valid URL nor a valid Npgsql connection string.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                ? FromUrl(text)
                : new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            // The message never repeats the text: it holds a password.
            throw new InfraException($"config 'postgres:connectionString' is not a valid connection string or postgres:// URL ({ex.GetType().Name}).");
        }
    }

    /// <summary>The first host, for outputs (an Npgsql host list may name several).</summary>
    public static string FirstHost(NpgsqlConnectionStringBuilder builder) =>
        (builder.Host ?? "localhost").Split(',')[0].Split(':')[0].Trim();

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        var uri = new Uri(text);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            switch (kv[0].ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new ArgumentException($"unsupported URL parameter '{kv[0]}'");
            }
        }

        return builder;
    }
}
