using Infra.Observability.Reports;
using Infra.Observability.Tests.Support;
using Npgsql;

namespace Infra.Observability.Tests;

[Collection(MonitoringCollection.Name)]
public class TenantUsageTests(MonitoringStack stack)
{
    [Fact]
    public async Task Usage_is_read_live_per_tenant_database_against_the_plan()
    {
        await using var held = new NpgsqlConnection(stack.Postgres.ConnectionString(TenantLabels.DatabaseOf("e2e-small")));
        await held.OpenAsync();

        var rows = await new TenantUsage(stack.Postgres.ConnectionString()).ReadAsync([MonitoringStack.Tiny], MonitoringStack.Tenants);

        var small = Assert.Single(rows, static r => r.TenantId == "e2e-small");
        Assert.Equal("tenant_e2e-small", small.Database);
        Assert.InRange(small.Connections, 1, 5);
        Assert.Equal(MonitoringStack.Tiny, small.Plan);
        Assert.InRange(small.SizeBytes, 1_000_000, MonitoringStack.Tiny.DatabaseSizeBytes);
        Assert.Equal((double)small.SizeBytes / MonitoringStack.Tiny.DatabaseSizeBytes, small.SizeRatio);
    }

    [Fact]
    public async Task A_function_planted_to_shadow_the_catalog_is_never_called()
    {
        // Something a hostile user could create where it would win an unpinned lookup: public.starts_with(name, text)
        // is a closer match for a name argument than pg_catalog.starts_with(text, text), and would list every database.
        await using (var admin = new NpgsqlConnection(stack.Postgres.ConnectionString()))
        {
            await admin.OpenAsync();
            await using var plant = new NpgsqlCommand(
                "CREATE OR REPLACE FUNCTION public.starts_with(name, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';" +
                "CREATE OR REPLACE FUNCTION public.pg_database_size(oid) RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint'", admin);
            await plant.ExecuteNonQueryAsync();
        }

        try
        {
            var rows = await new TenantUsage(stack.Postgres.ConnectionString()).ReadAsync([MonitoringStack.Tiny]);

            Assert.All(rows, static r => Assert.StartsWith(TenantLabels.DatabasePrefix, r.Database, StringComparison.Ordinal));
            Assert.DoesNotContain(rows, static r => r.Database == "postgres");
            Assert.All(rows, static r => Assert.True(r.SizeBytes > 1, $"{r.Database} reported the planted size"));
        }
        finally
        {
            await using var admin = new NpgsqlConnection(stack.Postgres.ConnectionString());
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP FUNCTION public.starts_with(name, text); DROP FUNCTION public.pg_database_size(oid)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
