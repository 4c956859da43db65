using Infra.Observability.Alerting;
using Infra.Observability.Components;
using Infra.Observability.Tests.Support;

namespace Infra.Observability.Tests;

public class AlertRoutingTests
{
    private static async Task<string> WriteConfigAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "infra-observability-am", Guid.NewGuid().ToString("N"));
        var path = AlertmanagerFiles.Write(directory, TestMonitoring.Args().Routing);
        await Tools.RequireAsync("amtool", "check-config", path);
        return path;
    }

    [Fact]
    public async Task A_tenant_alert_reaches_the_tenant_and_the_operators_and_others_reach_only_the_operators()
    {
        var config = await WriteConfigAsync();

        var tenant = await Tools.RequireAsync("amtool", "config", "routes", "test", $"--config.file={config}", "alertname=TenantDatabaseSizeOverLimit", "tenant=acme", "severity=critical");
        var other = await Tools.RequireAsync("amtool", "config", "routes", "test", $"--config.file={config}", "alertname=TenantDatabaseSizeOverLimit", "tenant=calm", "severity=critical");
        var platform = await Tools.RequireAsync("amtool", "config", "routes", "test", $"--config.file={config}", "alertname=PostgresDown", "severity=critical");

        Assert.Equal("tenant-acme,operators", FirstLine(tenant));
        Assert.Equal("tenant-calm,operators", FirstLine(other));
        Assert.Equal("operators", FirstLine(platform));
    }

    // amtool prints the receivers on its first line and may add warnings after it.
    private static string FirstLine(string output) => output.Split('\n')[0].Trim();

    [Fact]
    public void The_alertmanager_config_object_routes_like_the_file()
    {
        var routing = TestMonitoring.Args().Routing;

        var manifest = AlertRouting.Manifest("platform-alerts", routing, MonitoringPlacement.Default);

        Assert.Equal("monitoring.coreos.com/v1alpha1", manifest["apiVersion"]);
        var spec = (Dictionary<string, object?>)manifest["spec"]!;
        var routes = (List<object?>)((Dictionary<string, object?>)spec["route"]!)["routes"]!;
        var first = (Dictionary<string, object?>)routes[0]!;
        Assert.Equal("tenant-acme", first["receiver"]);
        Assert.Equal(true, first["continue"]);
        var matcher = (Dictionary<string, object?>)((List<object?>)first["matchers"]!)[0]!;
        Assert.Equal(("tenant", "acme", "="), ((string)matcher["name"]!, (string)matcher["value"]!, (string)matcher["matchType"]!));
        Assert.Equal("operators", ((Dictionary<string, object?>)routes[^1]!)["receiver"]);
        Assert.Equal(routing.Tenants.Count + 1, ((List<object?>)spec["receivers"]!).Count);
    }
}
