namespace Infra.Observability.Exporter;

/// <summary>
/// The postgres_exporter custom queries (<c>--extend.query-path</c>) that give per-tenant series from the server
/// holding tenant databases: <c>pg_tenant_database_size_bytes</c>, <c>pg_tenant_database_connections</c> and
/// <c>pg_tenant_database_xact_commit</c> (a counter: use <c>rate()</c> for transactions per second), each labelled
/// <c>tenant</c> and <c>datname</c>.
/// <para>The query runs on the admin database against catalogs only. Tenants own their databases, so every function is
/// qualified with <c>pg_catalog</c>, and the exporter's connection pins <c>search_path</c> to <c>pg_catalog</c>
/// (<see cref="SearchPathParameter"/>) so operators resolve there too; nothing a tenant creates is ever called.</para>
/// </summary>
public static class PostgresExporterQueries
{
    /// <summary>The query's name, the prefix of its series.</summary>
    public const string Name = "pg_tenant_database";

    /// <summary>Database size in bytes.</summary>
    public const string SizeSeries = Name + "_size_bytes";

    /// <summary>Backends connected to the database now.</summary>
    public const string ConnectionsSeries = Name + "_connections";

    /// <summary>Transactions committed in the database, a counter.</summary>
    public const string CommitsSeries = Name + "_xact_commit";

    /// <summary>The connection parameter that pins the exporter's search_path (lib/pq sends it as a startup parameter).</summary>
    public const string SearchPathParameter = "search_path=pg_catalog";

    /// <summary>The SQL: one row per tenant database.</summary>
    public static string Sql { get; } =
        $"SELECT pg_catalog.substr(d.datname, {TenantLabels.DatabasePrefix.Length + 1}) AS tenant, d.datname AS datname, " +
        "pg_catalog.pg_database_size(d.oid) AS size_bytes, s.numbackends AS connections, s.xact_commit AS xact_commit " +
        "FROM pg_catalog.pg_database d JOIN pg_catalog.pg_stat_database s ON s.datid OPERATOR(pg_catalog.=) d.oid " +
        $"WHERE pg_catalog.starts_with(d.datname::pg_catalog.text, '{TenantLabels.DatabasePrefix}') AND NOT d.datistemplate";

    /// <summary>The queries file's text.</summary>
    public static string Yaml() => Rules.RuleFiles.Serializer.Serialize(new Dictionary<string, object?>
    {
        [Name] = new Dictionary<string, object?>
        {
            ["query"] = Sql,
            ["metrics"] = new List<object?>
            {
                Column(TenantLabels.Tenant, "LABEL", "The tenant's id."),
                Column("datname", "LABEL", "The tenant's database."),
                Column("size_bytes", "GAUGE", "Size of the tenant's database in bytes."),
                Column("connections", "GAUGE", "Backends connected to the tenant's database."),
                Column("xact_commit", "COUNTER", "Transactions committed in the tenant's database."),
            },
        },
    });

    private static Dictionary<string, object?> Column(string name, string usage, string description) =>
        new() { [name] = new Dictionary<string, object?> { ["usage"] = usage, ["description"] = description } };
}
