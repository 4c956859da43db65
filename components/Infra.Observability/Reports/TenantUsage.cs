using Infra.Observability.Exporter;
using Infra.Observability.Usage;
using Npgsql;

namespace Infra.Observability.Reports;

/// <summary>A tenant's database use now, against its plan.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Database">Its database.</param>
/// <param name="SizeBytes">The database's size.</param>
/// <param name="Connections">Backends connected to it now.</param>
/// <param name="Plan">Its plan's limits; null when the tenant was not given a plan.</param>
public sealed record TenantUsageRow(string TenantId, string Database, long SizeBytes, int Connections, PlanLimits? Plan)
{
    /// <summary>Size as a share of the plan's; null without a plan.</summary>
    public double? SizeRatio => Plan is { DatabaseSizeBytes: > 0 } p ? (double)SizeBytes / p.DatabaseSizeBytes : null;

    /// <summary>Connections as a share of the plan's; null without a plan.</summary>
    public double? ConnectionRatio => Plan is { Connections: > 0 } p ? (double)Connections / p.Connections : null;

    /// <summary>The highest of the two ratios against the warning level: ok, warning (80 %) or over (100 %).</summary>
    public string Status => Math.Max(SizeRatio ?? 0, ConnectionRatio ?? 0) switch
    {
        >= 1 => "over",
        >= TenantUsageRules.WarningRatio => "warning",
        _ when Plan is null => "no plan",
        _ => "ok",
    };
}

/// <summary>
/// Reads each tenant database's size and connections live from PostgreSQL, with the very query postgres_exporter runs
/// (<see cref="PostgresExporterQueries.Sql"/>), and sets them against the plan. It connects with the platform's admin
/// connection to the admin database, where tenants own nothing; still, the session's <c>search_path</c> is pinned to
/// <c>pg_catalog</c> and every function is qualified, so nothing a tenant created could be called.
/// </summary>
public sealed class TenantUsage
{
    private readonly string _connectionString;

    /// <summary>A reader over the server of <paramref name="adminConnectionString"/> (an Npgsql connection string).</summary>
    public TenantUsage(string adminConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Options = "-c search_path=pg_catalog,pg_temp",
            ApplicationName = "infra-tenant-usage",
            Pooling = false,
        };
        _connectionString = builder.ConnectionString;
    }

    /// <summary>
    /// Every tenant database on the server, or only those of <paramref name="tenants"/> when given, each with its plan's
    /// limits from <paramref name="plans"/>.
    /// </summary>
    public async Task<IReadOnlyList<TenantUsageRow>> ReadAsync(IReadOnlyList<PlanLimits> plans, IReadOnlyList<TenantAssignment>? tenants = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var planOf = (tenants ?? []).ToDictionary(static t => t.TenantId, t => plans.FirstOrDefault(p => p.Plan == t.Plan), StringComparer.Ordinal);
        var rows = new List<TenantUsageRow>();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(PostgresExporterQueries.Sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var tenant = reader.GetString(0);
            if (tenants is not null && !planOf.ContainsKey(tenant))
            {
                continue;
            }

            rows.Add(new TenantUsageRow(tenant, reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), planOf.GetValueOrDefault(tenant)));
        }

        return [.. rows.OrderBy(static r => r.TenantId, StringComparer.Ordinal)];
    }
}
