using Infra.Observability.Reports;
using Infra.Observability.Usage;
using Infra.TestSupport;

namespace Infra.Observability.Tests.Support;

/// <summary>
/// One Prometheus, Alertmanager and postgres_exporter for the whole test project, started by scripts/monitoring.sh on
/// a real PostgreSQL, loading the rule files our code rendered (test plan "tiny": 16 MB, short waits), with a month of
/// synthetic history backfilled by promtool for the SLA report (with restarts and a short-lived instance), and a webhook receiver for
/// Alertmanager.
/// </summary>
public sealed class MonitoringStack : IAsyncLifetime
{
    /// <summary>A plan small enough that a test can outgrow it in seconds: a new database is about 7.5 MB.</summary>
    public static PlanLimits Tiny { get; } = new("tiny", 16 * 1024 * 1024, 5);

    public static IReadOnlyList<TenantAssignment> Tenants { get; } = [new("e2e-big", "tiny"), new("e2e-small", "tiny")];

    private PostgresServer? _postgres;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "infra-monitoring-tests", Guid.NewGuid().ToString("N"));

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("not started");

    public WebhookListener Webhook { get; } = new();

    public SyntheticMonth Month { get; } = new(2025, 6, tenants: 20, seed: 11, churn: true);

    public PrometheusClient Prometheus { get; private set; } = null!;

    public Uri PrometheusUrl { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        foreach (var tenant in Tenants)
        {
            await using var connection = new Npgsql.NpgsqlConnection(_postgres.ConnectionString());
            await connection.OpenAsync();
            // A shared test server may still hold them from an earlier run.
            var database = TenantLabels.DatabaseOf(tenant.TenantId);
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        await Month.BackfillAsync(Path.Combine(Directory, "prometheus-data"), Directory);
        MonitoringFiles.Write(Directory, TestMonitoring.Args([Tiny], Tenants, Webhook.BaseUrl), new Rules.RuleRenderOptions
        {
            ForOverride = TimeSpan.FromSeconds(2),
            IntervalOverride = TimeSpan.FromSeconds(1),
        });
        var environment = await RunScriptAsync("start", Directory, _postgres.Url());
        PrometheusUrl = new Uri(environment["PROMETHEUS_URL"]);
        Prometheus = new PrometheusClient(PrometheusUrl, Http);
    }

    public async Task DisposeAsync()
    {
        await RunScriptAsync("stop", Directory);
        Webhook.Dispose();
        Http.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is shutting down: the temp folder is cleaned later.
        }
    }

    private static async Task<Dictionary<string, string>> RunScriptAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var output = await Tools.RequireAsync("env", ["MONITORING_INTERVAL=1s", "bash", Path.Combine(RepositoryPaths.Root, "scripts", "monitoring.sh"), .. arguments]);
        foreach (var line in output.Split('\n'))
        {
            if (line.Split('=', 2) is [var key, var value] && key.EndsWith("_URL", StringComparison.Ordinal))
            {
                environment[key] = value.Trim();
            }
        }

        return environment;
    }
}

[CollectionDefinition(Name)]
public sealed class MonitoringCollection : ICollectionFixture<MonitoringStack>
{
    public const string Name = "monitoring stack";
}
