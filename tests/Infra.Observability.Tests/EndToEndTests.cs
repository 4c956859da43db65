using System.Diagnostics;
using Infra.Observability.Dashboards;
using Infra.Observability.Exporter;
using Infra.Observability.Tests.Support;
using Npgsql;

namespace Infra.Observability.Tests;

[Collection(MonitoringCollection.Name)]
public class EndToEndTests(MonitoringStack stack)
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(90);

    private async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> EventuallyAsync(string query, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = await stack.Prometheus.QueryAsync(query);
            if (done(result))
            {
                return result;
            }

            Assert.True(clock.Elapsed < s_patience, $"'{query}' did not reach the expected result in {s_patience.TotalSeconds} s; last: {string.Join("; ", result.Select(static r => $"{string.Join(',', r.Labels)}={r.Value}"))}");
            await Task.Delay(500);
        }
    }

    private static List<(IReadOnlyDictionary<string, string> Labels, double Value)> OursOnly(IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> result) =>
        result.Where(static r => r.Labels.TryGetValue("tenant", out var tenant) && tenant.StartsWith("e2e-", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task The_exporter_gives_size_connections_and_commits_per_tenant_database()
    {
        foreach (var series in new[] { PostgresExporterQueries.SizeSeries, PostgresExporterQueries.ConnectionsSeries, PostgresExporterQueries.CommitsSeries })
        {
            // The test server is shared with other test projects, so other tenants' databases may be scraped too.
            var result = await EventuallyAsync(series, static r => OursOnly(r).Count >= 2);

            Assert.Equal(["e2e-big", "e2e-small"], OursOnly(result).Select(static r => r.Labels["tenant"]).Order(StringComparer.Ordinal).Distinct());
            Assert.All(OursOnly(result), static r => Assert.Equal(TenantLabels.DatabaseOf(r.Labels["tenant"]), r.Labels["datname"]));
        }

        var sizes = OursOnly(await stack.Prometheus.QueryAsync(PostgresExporterQueries.SizeSeries));
        Assert.All(sizes, static r => Assert.InRange(r.Value, 1_000_000, 100_000_000));
    }

    [Fact]
    public async Task The_exporter_signs_in_as_a_role_with_pg_monitor_and_nothing_more_never_as_the_admin()
    {
        await EventuallyAsync(PostgresExporterQueries.SizeSeries, static r => OursOnly(r).Count >= 2);

        // The exporter's own DSN names the monitoring role.
        var pid = (await File.ReadAllTextAsync(Path.Combine(stack.Directory, "exporter.pid"))).Trim();
        var dsn = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0').Single(static v => v.StartsWith("DATA_SOURCE_NAME=", StringComparison.Ordinal));
        Assert.StartsWith("DATA_SOURCE_NAME=postgresql://infra_monitor:", dsn, StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(stack.Postgres.ConnectionString());
        await connection.OpenAsync();
        await using (var sessions = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE usename = 'infra_monitor'", connection))
        {
            Assert.True((long)(await sessions.ExecuteScalarAsync())! > 0, "the exporter holds no session as infra_monitor");
        }

        await using (var role = new NpgsqlCommand(
            "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = 'infra_monitor'", connection))
        await using (var reader = await role.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal([true, false, false, false, false, false], Enumerable.Range(0, 6).Select(reader.GetBoolean));
        }

        await using var memberOf = new NpgsqlCommand(
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = 'infra_monitor'::regrole", connection);
        await using var roles = await memberOf.ExecuteReaderAsync();
        var memberships = new List<string>();
        while (await roles.ReadAsync())
        {
            memberships.Add(roles.GetString(0));
        }

        Assert.Equal(["pg_monitor"], memberships);
    }

    [Fact]
    public async Task A_tenant_database_grown_past_its_plan_fires_the_critical_alert_to_the_tenant_and_the_operators()
    {
        await using (var connection = new NpgsqlConnection(stack.Postgres.ConnectionString(TenantLabels.DatabaseOf("e2e-big"))))
        {
            await connection.OpenAsync();
            // About 25 MB of rows that do not compress, past the 16 MB plan.
            await using var grow = new NpgsqlCommand("CREATE TABLE filler AS SELECT g, md5(g::text) || md5((g + 1)::text) AS payload FROM generate_series(1, 250000) g", connection);
            await grow.ExecuteNonQueryAsync();
        }

        var firing = await EventuallyAsync("ALERTS{alertname=\"TenantDatabaseSizeOverLimit\", alertstate=\"firing\"}", static r => OursOnly(r).Count > 0);
        Assert.Equal("e2e-big", Assert.Single(OursOnly(firing)).Labels["tenant"]);

        var clock = Stopwatch.StartNew();
        while (!(stack.Webhook.AlertsAt("/tenant/e2e-big").Any(IsOverLimit) && stack.Webhook.AlertsAt("/operators").Any(IsOverLimit)))
        {
            Assert.True(clock.Elapsed < s_patience, $"Alertmanager did not deliver to both receivers; received at: {string.Join(", ", stack.Webhook.Received.Select(static r => r.Path))}");
            await Task.Delay(500);
        }

        var delivered = stack.Webhook.AlertsAt("/tenant/e2e-big").First(IsOverLimit);
        Assert.Equal("critical", (string?)delivered["severity"]);
        Assert.Equal("tiny", (string?)delivered["plan"]);
        Assert.DoesNotContain(stack.Webhook.AlertsAt("/tenant/e2e-small"), IsOverLimit);

        static bool IsOverLimit(System.Text.Json.Nodes.JsonObject labels) =>
            (string?)labels["alertname"] == "TenantDatabaseSizeOverLimit" && (string?)labels["tenant"] == "e2e-big";
    }

    [Fact]
    public async Task Every_dashboard_panel_query_runs_against_prometheus_without_error()
    {
        await EventuallyAsync(PostgresExporterQueries.SizeSeries, static r => r.Count >= 2);
        var queries = PlatformDashboards.All().SelectMany(static d => d.Panels.SelectMany(p => p.Queries.Select(q => (d.Title, p.Title, q.Expr)))).ToList();
        var variables = PlatformDashboards.All().SelectMany(static d => d.Variables).Select(static v => $"label_values({v.Series}, {v.SeriesLabel})");

        Assert.True(queries.Count >= 20, $"only {queries.Count} panel queries");
        foreach (var (dashboard, panel, expr) in queries)
        {
            var runnable = expr.Replace("$tenant", "e2e-big", StringComparison.Ordinal).Replace("$__rate_interval", "1m", StringComparison.Ordinal);
            var exception = await Record.ExceptionAsync(() => stack.Prometheus.QueryAsync(runnable));
            Assert.True(exception is null, $"{dashboard} / {panel}: {exception?.Message}");
        }

        Assert.NotEmpty(variables);
        var tenants = await stack.Prometheus.QueryAsync("count by (tenant) (infra:tenant_plan:info)");
        Assert.Contains(tenants, static t => t.Labels["tenant"] == "e2e-big");
    }
}
