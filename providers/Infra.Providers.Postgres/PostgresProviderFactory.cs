using System.Globalization;
using Infra.Providers.Postgres.Connection;

namespace Infra.Providers.Postgres;

/// <summary>
/// Registers the <c>postgres</c> provider. Config (namespace <c>postgres</c>): <c>connectionString</c> (secret; an
/// Npgsql connection string or a <c>postgres://</c> URL for an admin that may create roles and databases) and
/// <c>maxRetries</c> (transient-failure retries per operation, default 5).
/// </summary>
public sealed class PostgresProviderFactory : IProviderFactory
{
    /// <summary>Connections per tenant database per operation; a stack never needs more, and many stacks share one server.</summary>
    public const int MaxPoolSize = 4;

    /// <summary>The <c>application_name</c> of the shared admin pool's connections, unless the connection string sets one.</summary>
    public const string SharedApplicationName = "infra";

    /// <summary>Connections to a server's admin database, shared by every operation of every stack in this process.</summary>
    public const int MaxSharedAdminPoolSize = 16;

    // One pool per admin connection string, for the life of the process: the onboarding service runs many tenant
    // stacks against one server, and each operation opening its own admin connection cost a server backend start
    // and an authentication per tenant. Bounded, so many concurrent stacks queue for a connection instead of
    // exhausting the server; idle connections close after ConnectionIdleLifetime.
    private readonly SharedDataSources _adminSources = new();

    /// <inheritdoc/>
    public string Package => PostgresProvider.PackageName;

    /// <summary>The first delay between retries, doubled (with jitter) each time.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc/>
    public IResourceProvider Create(ProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Config.GetString("connectionString")
            ?? throw new MissingConfigException(context.SettingsPath, "postgres:connectionString", $"is not set for stack '{context.StackName}'",
                context.StackName, secret: true, valueHint: "admin connection string");
        var maxRetries = 5;
        if (context.Config.GetString("maxRetries") is { } retries &&
            (!int.TryParse(retries, NumberStyles.Integer, CultureInfo.InvariantCulture, out maxRetries) || maxRetries is < 0 or > 20))
        {
            throw new InfraException($"config 'postgres:maxRetries' is {ErrorText.Quote(retries)}; use a whole number from 0 to 20.");
        }

        var builder = ConnectionSettings.Parse(text);
        builder.Pooling = true;
        builder.MaxPoolSize = Math.Min(builder.MaxPoolSize, MaxPoolSize);
        builder.MinPoolSize = 0;
        builder.ConnectionIdleLifetime = 30;
        // The shared admin pool serves every stack, so its connections are named for none of them.
        var sharedName = builder.ApplicationName ?? SharedApplicationName;
        builder.ApplicationName ??= $"infra {context.StackName}";
        var connector = new PostgresConnector(builder, maxRetries, FirstRetryDelay, new SharedAdminPool(_adminSources, sharedName));
        return new PostgresProvider(connector, builder.Username, ConnectionSettings.FirstHost(builder), builder.Port);
    }
}
