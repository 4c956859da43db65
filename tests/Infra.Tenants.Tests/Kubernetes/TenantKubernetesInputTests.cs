using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Kubernetes;

[Collection(PostgresCollection.Name)]
public class TenantKubernetesInputTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task A_plan_whose_application_does_not_fit_its_quota_is_refused_with_one_line_naming_the_key_and_nothing_is_written()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id, plan: "free");
        var plans = Path.Combine(project.Cli.Directory, "environments", "plans.yaml");
        var text = await File.ReadAllTextAsync(plans);
        await File.WriteAllTextAsync(plans, text.Replace("      requests: { cpu: \"100m\", memory: \"128Mi\" }", "      requests: { cpu: \"300m\", memory: \"128Mi\" }", StringComparison.Ordinal));

        var up = await project.UpAsync(stack);

        Assert.Equal(1, up.ExitCode);
        Assert.Single(up.Stderr.Trim().Split('\n'));
        Assert.Contains("plans.yaml", up.Stderr, StringComparison.Ordinal);
        Assert.Contains("'plans.free.app.requests.cpu': 300m is more than app.limits.cpu 250m", up.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Cli.GitOpsPath));
        Assert.False(await Sql.DatabaseExistsAsync(Server, $"tenant_{id}"));

        await File.WriteAllTextAsync(plans, text.Replace("    app:\n      replicas: 1", "    app:\n      replicas: 4", StringComparison.Ordinal));
        up = await project.UpAsync(stack);
        Assert.Equal(1, up.ExitCode);
        Assert.Contains("'plans.free.app.requests.memory': 5 pods (the replicas and one more during a rolling update) of 128Mi exceed quota.requests.memory 512Mi", up.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_host_given_by_name_needs_tenant_databaseCidr_for_the_namespace_egress_allow()
    {
        using var project = new TenantProject(Server);
        var id = TenantProject.NewTenantId();
        var stack = await project.InitAsync(id, plan: "free");
        await project.Cli.RunOkAsync("config", "set", "--secret", "postgres:connectionString", "postgres://admin@db.internal:5432/postgres", "-s", stack);

        var up = await project.UpAsync(stack);

        Assert.Equal(1, up.ExitCode);
        Assert.Single(up.Stderr.Trim().Split('\n'));
        Assert.Contains("config key 'tenant:databaseCidr': is required because the database host 'db.internal' is not an IP address", up.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Cli.GitOpsPath));

        // With the range given, the namespace allows exactly it, whatever the host.
        await project.Cli.RunOkAsync("config", "set", "--secret", "postgres:connectionString", project.AdminConnectionString, "-s", stack);
        await project.ConfigAsync(stack, ("tenant:databaseCidr", "10.20.0.0/24"));
        up = await project.UpAsync(stack);
        Assert.True(up.ExitCode == 0, up.ToString());
        var policy = await File.ReadAllTextAsync(Path.Combine(project.Cli.GitOpsPath, stack, $"tenant-{id}", "networkpolicy-allow-database.yaml"));
        Assert.Contains("cidr: 10.20.0.0/24", policy, StringComparison.Ordinal);
        Assert.Contains($"- port: {Server.Port}", policy, StringComparison.Ordinal);
        await Sql.DropTenantAsync(Server, id);
    }
}
