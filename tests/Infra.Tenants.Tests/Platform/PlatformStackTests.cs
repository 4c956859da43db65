using System.Text.Json;
using Infra.Automation;
using Infra.Kubernetes.Tests.Support;
using Infra.Stacks.Kinds.Platform;
using Infra.Tenants.Tests.Security;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using Infra.Values;
using static Infra.Kubernetes.Tests.Support.ObjectAssertions;

namespace Infra.Tenants.Tests.Platform;

/// <summary>
/// The platform stack's shared layer in GitOps: it comes up with only <c>kubernetes:*</c> and
/// <c>postgres:connectionString</c> set, its folder builds with the real kubectl kustomize, every built-in object is
/// strictly valid, every custom resource fits its schema, the folder matches the checked-in snapshot
/// (<c>Kubernetes/expected/platform/</c>), and its rules pass promtool. It runs on a PostgreSQL of its own: the
/// platform closes the server's shared databases to tenants, which would disturb a shared server.
/// </summary>
public sealed class PlatformStackTests(OwnPostgresFixture fixture) : IClassFixture<OwnPostgresFixture>
{
    [Fact]
    public async Task Platform_stack_comes_up_with_only_kubernetes_and_postgres_config_and_its_folder_builds_strictly_and_matches_the_snapshot()
    {
        await using var project = await PlatformProject.OpenAsync();
        await project.DeclareTenantAsync("acme", "standard", alertWebhook: "https://alerts.acme.example/hook");
        await project.DeclareTenantAsync("globex", "enterprise");
        var stack = await project.CreatePlatformAsync(fixture.Server.ConnectionString(), ("platform:gitopsUrl", "https://git.example.com/platform/gitops.git"));

        var result = await stack.UpAsync(new UpOptions { Program = PlatformProject.Program });

        Assert.Equal("on", result.Outputs.GetString("postgresExporter"));
        // postgres_exporter signs in as a login role with pg_monitor and nothing more, never as the admin.
        Assert.Equal("t,f,f,f,f,f|pg_monitor|true", await Sql.ScalarAsync<string>(fixture.Server,
            "SELECT concat_ws(',', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls)::text || '|' || " +
            "(SELECT string_agg(r.rolname, ',') FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = a.oid) || '|' || " +
            "has_database_privilege(a.oid, 'postgres', 'CONNECT')::text FROM pg_roles a WHERE rolname = $1", MonitoringLayer.ExporterRole));
        var objects = await KustomizeBuild.BuildAsync(project.Folder);
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);
        Assert.True(await CustomResourceSchemas.AssertValidAsync(objects) >= 30, "the shared layer's custom resources are all checked");
        Assert.Equal(Directory.EnumerateFiles(project.Folder, "*.yaml", SearchOption.AllDirectories).Count() - 1, objects.Length);
        ManifestSnapshot.AssertMatches("platform", ManifestSnapshot.Read(project.Folder));

        // Every release is pinned in platform-charts.yaml, under the chart's own name.
        var pins = PlatformCharts.Load(Path.Combine(RepositoryPaths.Root, "environments", PlatformCharts.FileName));
        var releases = objects.Where(static o => o.GetString("kind") == "HelmRelease").ToDictionary(NameOf);
        Assert.Equal(PlatformCharts.Releases.Order(StringComparer.Ordinal), releases.Keys.Order(StringComparer.Ordinal));
        Assert.All(releases, r => Assert.Equal(pins[r.Key].Version, Field(r.Value, "spec.chart.spec.version").AsString));

        // Namespaces carry the names the tenants' NetworkPolicies select.
        var namespaces = objects.Where(static o => o.GetString("kind") == "Namespace").ToDictionary(NameOf);
        Assert.Equal(["ingress-nginx", "logging", "monitoring", "platform", "tracing"], namespaces.Keys.Order(StringComparer.Ordinal));
        Assert.All(namespaces, n => Assert.Equal(n.Key, Field(n.Value, "metadata.labels").AsObject["kubernetes.io/metadata.name"].AsString));

        // Alertmanager matches tenant routes; dashboards are ConfigMaps for Grafana's sidecar.
        Assert.Equal("None", Field(releases["kube-prometheus-stack"], "spec.values.alertmanager.alertmanagerSpec.alertmanagerConfigMatcherStrategy.type").AsString);
        var routing = Assert.Single(objects, static o => o.GetString("kind") == "AlertmanagerConfig");
        // A tenant that set tenant:alertWebhook gets its alerts there first and, through continue, at the operators too.
        Assert.Equal(["operators", "tenant-acme"], Field(routing, "spec.receivers").AsArray.Select(static r => r.AsObject.GetString("name")).Order(StringComparer.Ordinal));
        Assert.Equal("https://alerts.acme.example/hook", Field(routing, "spec.receivers").AsArray.Single(static r => r.AsObject.GetString("name") == "tenant-acme").AsObject["webhookConfigs"].AsArray[0].AsObject.GetString("url"));
        var acmeRoute = Field(routing, "spec.route.routes[0]").AsObject;
        Assert.Equal(("tenant-acme", true), (acmeRoute.GetString("receiver"), acmeRoute["continue"].AsBool));
        Assert.Equal(("tenant", "acme"), (Field(acmeRoute, "matchers[0]").AsObject.GetString("name"), Field(acmeRoute, "matchers[0]").AsObject.GetString("value")));
        Assert.True(objects.Count(static o => o.GetString("kind") == "ConfigMap" && Field(o, "metadata.labels").AsObject.TryGetValue("grafana_dashboard", out var v) && v.AsString == "1") >= 4);

        // Tenant app series are labelled 'tenant' from the namespace.
        var scrape = Assert.Single(objects, static o => o.GetString("kind") == "PodMonitor");
        Assert.Contains(Field(scrape, "spec.podMetricsEndpoints[0].relabelings").AsArray,
            static r => r.AsObject.GetString("targetLabel") == "tenant" && r.AsObject.GetString("regex") == "tenant-(.+)");

        // Each tenant's logs: its own data stream, kept as long as its plan says.
        var setup = Assert.Single(objects, static o => o.GetString("kind") == "ConfigMap" && NameOf(o).StartsWith("elasticsearch-setup-", StringComparison.Ordinal));
        var data = Field(setup, "data").AsObject;
        using var acme = JsonDocument.Parse(data["template-logs-tenant-acme.json"].AsString);
        Assert.Equal("logs-tenant-standard", acme.RootElement.GetProperty("template").GetProperty("settings").GetProperty("index.lifecycle.name").GetString());
        using var enterprise = JsonDocument.Parse(data["ilm-logs-tenant-enterprise.json"].AsString);
        Assert.Equal("90d", enterprise.RootElement.GetProperty("policy").GetProperty("phases").GetProperty("delete").GetProperty("min_age").GetString());
        Assert.Contains("put _index_template/logs-tenant-globex template-logs-tenant-globex.json", data["setup.sh"].AsString, StringComparison.Ordinal);

        // One PriorityClass per plan; Flux follows each stack folder.
        Assert.Equal(["tenant-enterprise", "tenant-free", "tenant-standard"],
            objects.Where(static o => o.GetString("kind") == "PriorityClass").Select(NameOf).Order(StringComparer.Ordinal));
        var kustomizations = objects.Where(static o => o.GetString("kind") == "Kustomization").ToDictionary(NameOf);
        Assert.Equal(["platform", "tenant-acme", "tenant-globex"], kustomizations.Keys.Order(StringComparer.Ordinal));
        Assert.All(kustomizations.Values, static k => Assert.True(Field(k, "spec.prune").AsBool && Field(k, "spec.wait").AsBool));
        Assert.Equal("platform", Field(kustomizations["tenant-acme"], "spec.dependsOn[0].name").AsString);

        await AssertRulesPassPromtoolAsync(objects);
    }

    [Fact]
    public async Task Platform_stack_without_a_sealing_certificate_comes_up_and_says_the_exporter_waits_for_it()
    {
        await using var project = await PlatformProject.OpenAsync();
        var stack = await project.CreatePlatformAsync(fixture.Server.ConnectionString());
        await stack.RemoveConfigAsync("kubernetes:sealedSecretsCert");

        var result = await stack.UpAsync(new UpOptions { Program = PlatformProject.Program });

        Assert.StartsWith("waiting: set kubernetes:sealedSecretsCert", result.Outputs.GetString("postgresExporter"), StringComparison.Ordinal);
        var objects = await KustomizeBuild.BuildAsync(project.Folder);
        Assert.DoesNotContain(objects, static o => o.GetString("kind") == "SealedSecret");
        Assert.Contains(objects, static o => o.GetString("kind") == "HelmRelease" && NameOf(o) == "kube-prometheus-stack");
    }

    [Fact]
    public async Task A_tenant_alert_webhook_that_is_not_an_http_url_stops_the_platform_stack_naming_the_file_and_key()
    {
        await using var project = await PlatformProject.OpenAsync();
        await project.DeclareTenantAsync("acme", "standard", alertWebhook: "mailto:ops@acme.example");
        var stack = await project.CreatePlatformAsync(fixture.Server.ConnectionString());

        var error = await Assert.ThrowsAnyAsync<InfraException>(() => stack.PreviewAsync(new PreviewOptions { Program = PlatformProject.Program }));

        Assert.Contains("Pulumi.tenant-acme.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("tenant:alertWebhook", error.Message, StringComparison.Ordinal);
        Assert.Contains("'mailto:ops@acme.example' is not an http(s) URL", error.Message, StringComparison.Ordinal);
    }

    // The PrometheusRules in the folder are the rule files a local Prometheus loads: each must pass promtool.
    private static async Task AssertRulesPassPromtoolAsync(IEnumerable<PropertyMap> objects)
    {
        var rules = objects.Where(static o => o.GetString("kind") == "PrometheusRule").ToList();
        Assert.True(rules.Count >= 4, "SLOs, tenant usage, infrastructure and KPI rules are declared");
        var folder = Directory.CreateTempSubdirectory("infra-platform-rules").FullName;
        try
        {
            var files = new List<string>();
            foreach (var rule in rules)
            {
                var path = Path.Combine(folder, $"{NameOf(rule)}.rules.json");
                await File.WriteAllTextAsync(path, PropertyJson.ToJson(Field(rule, "spec").AsObject, PropertyJsonMode.Plaintext));
                files.Add(path);
            }

            var check = await RepositoryTools.RunAsync("promtool", folder, ["check", "rules", .. files]);
            Assert.True(check.ExitCode == 0, $"promtool check rules: {check.Output}{check.Error}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
