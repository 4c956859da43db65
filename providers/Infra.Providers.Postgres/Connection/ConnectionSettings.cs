using System.Data.Common;
using System.Net;
using Npgsql;

namespace Infra.Providers.Postgres.Connection;

/// <summary>
/// The admin connection from <c>postgres:connectionString</c>: either an Npgsql connection string
/// (<c>Host=db;Username=admin;Password=…</c>) or a URL (<c>postgres://admin:…@db:5432/postgres?sslmode=require</c>).
/// A connection to any host but this machine defaults to <c>sslmode=require</c>: the admin's password and every
/// statement would otherwise cross the network in clear whenever the server does not offer TLS (Npgsql's own default,
/// <c>prefer</c>, falls back silently). An explicit <c>sslmode</c> is kept, <c>verify-full</c> included.
/// </summary>
internal static class ConnectionSettings
{
    /// <summary>Parses the admin connection string.</summary>
    /// <exception cref="InfraException">It is neither a valid URL nor a valid Npgsql connection string.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = TryParse(text, out var problem) ?? throw new InfraException($"config 'postgres:connectionString' {problem}");
        if (!SetsSslMode(builder) && !IsLocal(builder.Host))
        {
            builder.SslMode = SslMode.Require;
        }

        return builder;
    }

    /// <summary>What is wrong with the shape of an admin connection string, or <see langword="null"/>; never repeats the text (it holds a password).</summary>
    public static string? Problem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _ = TryParse(text, out var problem);
        return problem;
    }

    private static NpgsqlConnectionStringBuilder? TryParse(string text, out string? problem)
    {
        problem = null;
        try
        {
            return text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                ? FromUrl(text)
                : new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            // The message never repeats the text: it holds a password.
            problem = $"is not a valid connection string or postgres:// URL ({ex.GetType().Name}).";
            return null;
        }
    }

    /// <summary>
    /// True when every host in <paramref name="hosts"/> (an Npgsql host list) is this machine: <c>localhost</c>, a
    /// loopback address or a Unix socket folder. Unset means localhost.
    /// </summary>
    public static bool IsLocal(string? hosts) =>
        string.IsNullOrEmpty(hosts) || hosts.Split(',').All(static entry => IsLocalHost(HostPart(entry.Trim())));

    private static bool IsLocalHost(string host) =>
        host.Length == 0 || host.StartsWith('/') || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>The host of one host-list entry: <c>db:5433</c> is <c>db</c>, <c>[::1]:5433</c> is <c>[::1]</c>, <c>::1</c> stays.</summary>
    private static string HostPart(string entry) =>
        entry.StartsWith('[') ? entry[..(entry.IndexOf(']', StringComparison.Ordinal) + 1)]
        : entry.Count(static c => c == ':') == 1 ? entry[..entry.IndexOf(':', StringComparison.Ordinal)]
        : entry;

    /// <summary>Whether the text set an SSL mode: Npgsql writes back only the keys that were set.</summary>
    private static bool SetsSslMode(NpgsqlConnectionStringBuilder builder) =>
        new DbConnectionStringBuilder { ConnectionString = builder.ConnectionString }.ContainsKey("SSL Mode");

    /// <summary>The first host, for outputs (an Npgsql host list may name several).</summary>
    public static string FirstHost(NpgsqlConnectionStringBuilder builder) =>
        HostPart((builder.Host ?? "localhost").Split(',')[0].Trim()).Trim('[', ']');

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
                case "sslrootcert":
                    // The CA that signed the server's certificate, for verify-ca and verify-full.
                    builder.RootCertificate = value;
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
