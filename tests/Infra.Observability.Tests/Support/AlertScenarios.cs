using Infra.Observability.Rules;
using Infra.Observability.Slo;
using static Infra.Observability.Tests.Support.InputSeries;

namespace Infra.Observability.Tests.Support;

/// <summary>
/// A promtool case per alert of <see cref="TestMonitoring"/>: the SLOs' burn-rate alerts get a series burning at 15×
/// and one at 2× (generated from each SLO's target), every other alert a series above its threshold and one below.
/// </summary>
public static class AlertScenarios
{
    public static IEnumerable<PromtoolTest> For(PlatformMonitoringArgs monitoring)
    {
        var alerts = monitoring.Alerts().ToDictionary(static a => a.Name);
        foreach (var slo in monitoring.Slos)
        {
            foreach (var test in BurnRate(slo, alerts))
            {
                yield return test;
            }
        }

        foreach (var test in Usage(alerts).Concat(Infrastructure(alerts)))
        {
            yield return test;
        }
    }

    // Series that feed an SLO's SLI: a good and a bad counter (or a good and a total one), per SLO.
    private static IEnumerable<InputSeries> Traffic(ServiceLevelObjectiveArgs slo, params (int Minutes, double Burn)[] phases)
    {
        const double PerMinute = 1000;
        var bad = phases.Select(p => (p.Minutes, PerMinute * p.Burn * slo.ErrorBudget)).ToArray();
        var good = phases.Select(p => (p.Minutes, PerMinute - (PerMinute * p.Burn * slo.ErrorBudget))).ToArray();
        var all = phases.Select(static p => (p.Minutes, PerMinute)).ToArray();
        var tenant = slo.PerTenant ? "tenant=\"acme\", " : string.Empty;
        return slo.Name switch
        {
            "tenant-app-availability" => [
                Counter($"http_server_request_duration_seconds_count{{{tenant}http_response_status_code=\"200\"}}", good),
                Counter($"http_server_request_duration_seconds_count{{{tenant}http_response_status_code=\"500\"}}", bad)],
            "tenant-app-latency" => [
                Counter($"http_server_request_duration_seconds_bucket{{{tenant}le=\"0.5\"}}", good),
                Counter($"http_server_request_duration_seconds_count{{{tenant.TrimEnd(' ', ',')}}}", all)],
            "onboarding-api-availability" => [
                Counter("onboarding_http_requests_total{code=\"200\"}", good),
                Counter("onboarding_http_requests_total{code=\"500\"}", bad)],
            "onboarding-success" => [
                Counter("onboarding_onboardings_total{result=\"succeeded\"}", good),
                Counter("onboarding_onboardings_total{result=\"failed\"}", bad)],
            _ => throw new InvalidOperationException($"SLO '{slo.Name}' has no test traffic; add its series here."),
        };
    }

    private static IEnumerable<PromtoolTest> BurnRate(ServiceLevelObjectiveArgs slo, Dictionary<string, AlertRule> alerts)
    {
        var labels = new Dictionary<string, string> { ["slo"] = slo.Name, ["service"] = slo.Service };
        if (slo.PerTenant)
        {
            labels["tenant"] = "acme";
        }

        var fast = alerts[ServiceLevelObjectiveRules.FastBurnAlert(slo)];
        var slow = alerts[ServiceLevelObjectiveRules.SlowBurnAlert(slo)];
        // 15x after two clean hours: the 1h window passes 14.4x after 57.6 minutes of burning.
        var fifteen = Traffic(slo, (120, 0), (120, 15)).ToList();
        yield return new PromtoolTest(fast, fifteen).QuietAt(TimeSpan.FromMinutes(120 + 50)).FiresAt(TimeSpan.FromMinutes(120 + 65), labels);
        // 2x after six clean hours: never a page; the ticket's 3d window passes 1x once the burn is as long as the clean part.
        var two = Traffic(slo, (360, 0), (480, 2)).ToList();
        yield return new PromtoolTest(fast, two).QuietAt(TimeSpan.FromMinutes(360 + 60)).QuietAt(TimeSpan.FromMinutes(360 + 470));
        yield return new PromtoolTest(slow, two).QuietAt(TimeSpan.FromMinutes(360 + 300)).FiresAt(TimeSpan.FromMinutes(360 + 420), labels);
    }

    private static IEnumerable<PromtoolTest> Usage(Dictionary<string, AlertRule> alerts)
    {
        static Dictionary<string, string> Tenant() => new() { ["tenant"] = "acme", ["plan"] = "test" };
        static Dictionary<string, string> Namespace(string resource) => new() { ["tenant"] = "acme", ["namespace"] = "tenant-acme", ["resource"] = resource };
        var size = TestMonitoring.Plan.DatabaseSizeBytes;
        PromtoolTest Database(string alert, string series, double acme, double calm, double limit)
        {
            var wait = alerts[alert].For;
            return new PromtoolTest(alerts[alert], [
                Gauge($"{series}{{tenant=\"acme\", datname=\"tenant_acme\"}}", acme * limit),
                Gauge($"{series}{{tenant=\"calm\", datname=\"tenant_calm\"}}", calm * limit)])
            .QuietAt(wait - TimeSpan.FromMinutes(2)).FiresAt(wait + TimeSpan.FromMinutes(2), Tenant());
        }

        yield return Database("TenantDatabaseSizeNearLimit", "pg_tenant_database_size_bytes", 0.85, 0.5, size);
        yield return Database("TenantDatabaseSizeOverLimit", "pg_tenant_database_size_bytes", 1.1, 0.85, size);
        yield return new PromtoolTest(alerts["TenantDatabaseSizeNearLimit"], [Gauge("pg_tenant_database_size_bytes{tenant=\"acme\", datname=\"tenant_acme\"}", 1.1 * size)])
            .QuietAt(TimeSpan.FromMinutes(30));
        yield return Database("TenantConnectionsNearLimit", "pg_tenant_database_connections", 0.9, 0.5, TestMonitoring.Plan.Connections);
        yield return Database("TenantConnectionsAtLimit", "pg_tenant_database_connections", 1, 0.9, TestMonitoring.Plan.Connections);

        PromtoolTest Quota(string alert, string resource, double hard, double acme, double calm) =>
            new PromtoolTest(alerts[alert], [
                Gauge($"kube_resourcequota{{namespace=\"tenant-acme\", resourcequota=\"tenant-quota\", resource=\"{resource}\", type=\"hard\"}}", hard),
                Gauge($"kube_resourcequota{{namespace=\"tenant-acme\", resourcequota=\"tenant-quota\", resource=\"{resource}\", type=\"used\"}}", acme * hard),
                Gauge($"kube_resourcequota{{namespace=\"tenant-calm\", resourcequota=\"tenant-quota\", resource=\"{resource}\", type=\"hard\"}}", hard),
                Gauge($"kube_resourcequota{{namespace=\"tenant-calm\", resourcequota=\"tenant-quota\", resource=\"{resource}\", type=\"used\"}}", calm * hard),
                Gauge($"kube_resourcequota{{namespace=\"kube-system\", resourcequota=\"system\", resource=\"{resource}\", type=\"used\"}}", 2 * hard)])
            .QuietAt(TimeSpan.FromMinutes(10)).FiresAt(TimeSpan.FromMinutes(20), Namespace(resource));
        yield return Quota("TenantCpuQuotaNearLimit", "requests.cpu", 2, 0.85, 0.5);
        yield return Quota("TenantCpuQuotaExhausted", "limits.cpu", 4, 1, 0.85);
        yield return Quota("TenantMemoryQuotaNearLimit", "requests.memory", 4 * 1024.0 * 1024 * 1024, 0.9, 0.2);
        yield return Quota("TenantMemoryQuotaExhausted", "limits.memory", 8 * 1024.0 * 1024 * 1024, 1, 0.79);
        yield return Quota("TenantPodQuotaNearLimit", "pods", 20, 0.8, 0.75);
        yield return Quota("TenantPodQuotaExhausted", "pods", 20, 1, 0.95);
    }

    private static IEnumerable<PromtoolTest> Infrastructure(Dictionary<string, AlertRule> alerts)
    {
        var node = new Dictionary<string, string> { ["instance"] = "node-1", ["job"] = "node-exporter" };
        yield return new PromtoolTest(alerts["NodeDown"], [
                Gauge("up{job=\"node-exporter\", instance=\"node-1\"}", 0), Gauge("up{job=\"node-exporter\", instance=\"node-2\"}", 1)])
            .QuietAt(TimeSpan.FromMinutes(4)).FiresAt(TimeSpan.FromMinutes(6), node);
        var disk = new Dictionary<string, string> { ["instance"] = "node-1", ["job"] = "node-exporter", ["device"] = "/dev/sda1", ["fstype"] = "ext4", ["mountpoint"] = "/" };
        yield return new PromtoolTest(alerts["NodeFilesystemSpaceLow"], [
                Gauge("node_filesystem_avail_bytes{job=\"node-exporter\", instance=\"node-1\", device=\"/dev/sda1\", fstype=\"ext4\", mountpoint=\"/\"}", 5),
                Gauge("node_filesystem_size_bytes{job=\"node-exporter\", instance=\"node-1\", device=\"/dev/sda1\", fstype=\"ext4\", mountpoint=\"/\"}", 100),
                Gauge("node_filesystem_avail_bytes{job=\"node-exporter\", instance=\"node-2\", device=\"/dev/sda1\", fstype=\"ext4\", mountpoint=\"/\"}", 50),
                Gauge("node_filesystem_size_bytes{job=\"node-exporter\", instance=\"node-2\", device=\"/dev/sda1\", fstype=\"ext4\", mountpoint=\"/\"}", 100)])
            .QuietAt(TimeSpan.FromMinutes(10)).FiresAt(TimeSpan.FromMinutes(20), disk);
        yield return new PromtoolTest(alerts["NodeMemoryPressure"], [
                Gauge("node_memory_MemAvailable_bytes{job=\"node-exporter\", instance=\"node-1\"}", 5),
                Gauge("node_memory_MemTotal_bytes{job=\"node-exporter\", instance=\"node-1\"}", 100),
                Gauge("node_memory_MemAvailable_bytes{job=\"node-exporter\", instance=\"node-2\"}", 40),
                Gauge("node_memory_MemTotal_bytes{job=\"node-exporter\", instance=\"node-2\"}", 100)])
            .QuietAt(TimeSpan.FromMinutes(10)).FiresAt(TimeSpan.FromMinutes(20), node);
        var db = new Dictionary<string, string> { ["instance"] = "db-1", ["job"] = "postgres" };
        yield return new PromtoolTest(alerts["PostgresDown"], [Gauge("pg_up{job=\"postgres\", instance=\"db-1\"}", 0), Gauge("pg_up{job=\"postgres\", instance=\"db-2\"}", 1)])
            .QuietAt(TimeSpan.Zero).FiresAt(TimeSpan.FromMinutes(2), db);
        yield return new PromtoolTest(alerts["PostgresTooManyConnections"], [
                Gauge("pg_stat_activity_count{job=\"postgres\", instance=\"db-1\", datname=\"tenant_acme\", state=\"active\"}", 60),
                Gauge("pg_stat_activity_count{job=\"postgres\", instance=\"db-1\", datname=\"tenant_calm\", state=\"idle\"}", 35),
                Gauge("pg_settings_max_connections{job=\"postgres\", instance=\"db-1\"}", 100),
                Gauge("pg_stat_activity_count{job=\"postgres\", instance=\"db-2\", datname=\"tenant_x\", state=\"idle\"}", 50),
                Gauge("pg_settings_max_connections{job=\"postgres\", instance=\"db-2\"}", 100)])
            .QuietAt(TimeSpan.FromMinutes(4)).FiresAt(TimeSpan.FromMinutes(6), new Dictionary<string, string> { ["instance"] = "db-1" });
        yield return new PromtoolTest(alerts["PostgresDeadlocks"], [
                Counter("pg_stat_database_deadlocks{job=\"postgres\", instance=\"db-1\", datname=\"tenant_acme\"}", (30, 0), (30, 1)),
                Counter("pg_stat_database_deadlocks{job=\"postgres\", instance=\"db-1\", datname=\"tenant_calm\"}", (60, 0))])
            .QuietAt(TimeSpan.FromMinutes(25)).FiresAt(TimeSpan.FromMinutes(35), new Dictionary<string, string> { ["instance"] = "db-1", ["job"] = "postgres", ["datname"] = "tenant_acme" });
        var cert = new Dictionary<string, string> { ["namespace"] = "ingress-nginx", ["name"] = "web" };
        // promtool's clock starts at 0, so an expiry timestamp is also the time left at the start.
        yield return new PromtoolTest(alerts["CertificateExpiringSoon"], [
                Gauge("certmanager_certificate_expiration_timestamp_seconds{namespace=\"ingress-nginx\", name=\"web\"}", 10 * 86400, 150),
                Gauge("certmanager_certificate_expiration_timestamp_seconds{namespace=\"ingress-nginx\", name=\"api\"}", 60 * 86400, 150)])
            .QuietAt(TimeSpan.FromMinutes(50)).FiresAt(TimeSpan.FromMinutes(70), cert);
        yield return new PromtoolTest(alerts["CertificateExpiryImminent"], [
                Gauge("certmanager_certificate_expiration_timestamp_seconds{namespace=\"ingress-nginx\", name=\"web\"}", 2 * 86400),
                Gauge("certmanager_certificate_expiration_timestamp_seconds{namespace=\"ingress-nginx\", name=\"api\"}", 10 * 86400)])
            .QuietAt(TimeSpan.FromMinutes(5)).FiresAt(TimeSpan.FromMinutes(15), cert);
        yield return new PromtoolTest(alerts["StackDrifted"], [
                Gauge("infra_stack_drifted{stack=\"tenant-acme\"}", 1), Gauge("infra_stack_drifted{stack=\"tenant-calm\"}", 0)])
            .QuietAt(TimeSpan.FromMinutes(20)).FiresAt(TimeSpan.FromMinutes(40), new Dictionary<string, string> { ["stack"] = "tenant-acme" });
    }
}
