using System.Text.Json;
using Infra.Kubernetes.Tests.Support;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Kubernetes;

/// <summary>
/// The end-to-end path through the real <c>./infra</c>, a real PostgreSQL 15 and a local GitOps work tree:
/// init, config, up; a plan change from standard to enterprise; destroy. Enterprise is protected, so its destroy is
/// refused (and changes nothing); after moving back to standard, destroy removes the folder and the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TenantEndToEndTests(PostgresFixture fixture)
{
    private const string Id = "acme";
    private const string Stack = "tenant-acme";

    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Tenant_acme_comes_up_in_git_changes_plan_with_only_quota_limits_and_priority_and_is_destroyed_in_one_more_commit()
    {
        await Sql.DropTenantAsync(Server, Id);
        using var project = new TenantProject(Server);
        Assert.Equal(Stack, await project.InitAsync(Id, plan: "standard"));
        // Released blue-green from the start, as enterprise is: the plan change below then keeps the strategy.
        await project.ConfigAsync(Stack, ("tenant:displayName", "Acme Corp"), ("tenant:branding", """{"primaryColor":"#0055ff","customDomain":"app.acme.example"}"""),
            ("tenant:releaseStrategy", "blueGreen"));
        var folder = Path.Combine(project.Cli.GitOpsPath, Stack);

        // 1. Up: the database exists, one commit names the stack, and kustomize builds the folder.
        var up = await project.UpAsync(Stack);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.True(await Sql.DatabaseExistsAsync(Server, "tenant_acme"));
        Assert.Equal([$"infra: update stack '{Stack}' ({TenantStackShape.Resources} resource change(s))"], await CommitsAsync(project));
        var objects = await KustomizeBuild.BuildAsync(folder);
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);
        Assert.Contains(objects, static o => o.GetString("kind") == "SealedSecret");
        Assert.Contains(objects, static o => o.GetString("kind") == "Rollout");

        // 2. Standard to enterprise: the preview changes only the quota, the limits and the priority class, the
        //    release's production flag (its label, and promotion by a person) and, in the database, the plan's
        //    connection limits and backup schedule, and the schedule of what runs the backups.
        await project.ConfigAsync(Stack, ("tenant:plan", "enterprise"));
        var planFile = Path.Combine(project.Cli.Directory, "plan.json");
        await project.Cli.RunOkAsync("preview", "--save-plan", planFile, "-s", Stack);
        var changes = Changes(await File.ReadAllTextAsync(planFile));
        Assert.Equal(
            ["acme-app", "acme-backup", "acme-backup-cronjob", "acme-database", "acme-limits", "acme-quota", "acme-role", "acme-velero-schedule"],
            changes.Keys.Order(StringComparer.Ordinal));
        Assert.All(changes["acme-quota"].Paths, static p => Assert.StartsWith("spec.hard", p, StringComparison.Ordinal));
        Assert.All(changes["acme-limits"].Paths, static p => Assert.StartsWith("spec.limits[", p, StringComparison.Ordinal));
        Assert.All(changes["acme-app"].Paths, static p => Assert.True(
            p.EndsWith(".priorityClassName", StringComparison.Ordinal) || p.EndsWith(".autoPromotionEnabled", StringComparison.Ordinal) || p.Contains("production", StringComparison.Ordinal), p));
        Assert.Contains("values.priorityClassName", changes["acme-app"].Paths);
        Assert.Equal(["connectionLimit"], changes["acme-role"].Paths);
        Assert.Equal(["connectionLimit"], changes["acme-database"].Paths);
        Assert.Equal(["retentionDays", "schedule"], changes["acme-backup"].Paths);
        Assert.All(changes["acme-backup-cronjob"].Paths, static p => Assert.EndsWith("spec.schedule", p, StringComparison.Ordinal));
        Assert.All(changes["acme-velero-schedule"].Paths, static p => Assert.True(p.EndsWith("spec.schedule", StringComparison.Ordinal) || p.EndsWith("template.ttl", StringComparison.Ordinal), p));

        up = await project.UpAsync(Stack);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(2, (await CommitsAsync(project)).Length);
        // The enterprise PriorityClass is named, not copied: cluster-wide objects shared by tenants are the platform's.
        Assert.Equal(["namespace-tenant-acme.yaml"],
            Directory.EnumerateFiles(Path.Combine(folder, "_cluster")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(await KustomizeBuild.BuildAsync(folder));

        // 3. Enterprise is protected: destroy refuses, and neither the database nor a file goes.
        var refused = await project.Cli.RunAsync("destroy", "--yes", "-s", Stack);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"destroy of stack '{Stack}' refused", refused.Stderr, StringComparison.Ordinal);
        Assert.True(await Sql.DatabaseExistsAsync(Server, "tenant_acme"));
        Assert.Equal(2, (await CommitsAsync(project)).Length);
        Assert.Equal(objects.Length, (await KustomizeBuild.BuildAsync(folder)).Length);

        // 4. Back on standard, destroy removes the folder in one more commit, and the database.
        await project.ConfigAsync(Stack, ("tenant:plan", "standard"));
        Assert.Equal(0, (await project.UpAsync(Stack)).ExitCode);
        var destroyed = await project.Cli.RunAsync("destroy", "--yes", "-s", Stack);
        Assert.True(destroyed.ExitCode == 0, destroyed.ToString());
        var commits = await CommitsAsync(project);
        Assert.Equal(4, commits.Length);
        Assert.Equal($"infra: destroy stack '{Stack}' ({TenantStackShape.Resources} resource change(s))", commits[0]);
        Assert.False(Directory.Exists(folder));
        Assert.False(await Sql.DatabaseExistsAsync(Server, "tenant_acme"));
        Assert.False(await Sql.RoleExistsAsync(Server, "tenant_acme"));
        Assert.False(await Sql.RoleExistsAsync(Server, "tenant_acme_owner"));
    }

    private static Task<string[]> CommitsAsync(TenantProject project) => TenantWorkspace.CommitSubjectsAsync(project.Cli.GitOpsPath);

    /// <summary>The resources a plan changes, by name: their operation and changed input paths, sorted.</summary>
    private static Dictionary<string, (string Op, string[] Paths)> Changes(string planJson)
    {
        using var plan = JsonDocument.Parse(planJson);
        return plan.RootElement.GetProperty("resourceChanges").EnumerateArray()
            .Where(static c => c.GetProperty("op").GetString() != "same")
            .ToDictionary(
                static c => c.GetProperty("name").GetString()!,
                static c => (c.GetProperty("op").GetString()!,
                    c.GetProperty("changed").EnumerateArray().Select(static p => p.GetString()!).Order(StringComparer.Ordinal).ToArray()));
    }
}
